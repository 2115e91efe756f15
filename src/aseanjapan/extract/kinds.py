"""What an unknown name names: a person, an organisation, a place, a programme, a
publication or an event, told from its own words and the words around it."""

from __future__ import annotations

import re

from .spans import SPACE

# The last (or a leading) word of a name that says what it is.
_HEADS = {
    "organisation": {
        "Ministry", "Department", "Agency", "Institute", "Institution", "University", "Universiti", "College", "School",
        "Bank", "Corporation", "Corp", "Group", "Company", "Co", "Inc", "Ltd", "Limited", "Holdings", "Association",
        "Council", "Commission", "Committee", "Centre", "Center", "Foundation", "Authority", "Organization",
        "Organisation", "Service", "Guard", "Navy", "Army", "Forces", "Force", "Police", "Office", "Bureau",
        "Secretariat", "Chamber", "Federation", "Union", "Party", "Parliament", "Cabinet", "Network", "Board", "Court",
        "Tribunal", "Embassy", "Consulate", "Society", "Alliance", "Coalition", "Airlines", "Airways", "Industries",
        "Electronics", "Motors", "Administration", "Directorate", "Senate", "Assembly", "Congress", "Trust", "Exchange", "Laboratory", "Lab", "Labs", "Academy", "Partners", "Capital",
    },
    "place": {
        "Sea", "Ocean", "Strait", "Straits", "Bay", "Gulf", "Island", "Islands", "Isles", "River", "Delta", "Province",
        "Prefecture", "City", "Peninsula", "Mountains", "Airport", "Region", "Asia", "Pacific", "Coast", "Basin",
        "Valley", "Lake", "Canal", "Port", "Harbour", "Harbor", "Archipelago", "Reef", "Shoal", "State", "District",
        "County", "Town", "Village", "Highlands", "Plateau", "Europe", "Africa", "America", "Zone", "Corridor",
    },
    "programme": {
        "Act", "Law", "Agreement", "Accord", "Treaty", "Initiative", "Programme", "Program", "Plan", "Strategy", "Fund",
        "Partnership", "Framework", "Mechanism", "Scheme", "Exercise", "Project", "Facility", "Platform", "Vision",
        "Roadmap", "Policy", "Pact", "Charter", "Convention", "Declaration", "Visa", "Scholarship", "Award", "Code",
        "Protocol", "Regulation", "Bill", "Window", "Corridor", "Compact", "Principles",
    },
    "publication": {
        "Times", "Post", "Daily", "Review", "Report", "Survey", "Journal", "Herald", "Chronicle", "Tribune", "News",
        "Gazette", "Bulletin", "Magazine", "Map", "Index", "Yearbook", "Atlas", "Outlook", "Monitor", "Weekly",
        "Digest", "Brief", "Insider", "Observer", "Standard", "Star", "Inquirer", "Nation", "Straits Times",
    },
    "event": {
        "Summit", "Forum", "Conference", "Expo", "Dialogue", "Games", "Festival", "Meeting", "Symposium", "Congress",
        "Week", "Fair", "Talks", "Olympics", "Cup", "Championship", "Assembly", "Convention", "Roundtable",
    },
}
# Countries and regions proposed as places on their own, where nothing in the sentence says so.
COUNTRIES = {
    "Afghanistan", "Albania", "Algeria", "Angola", "Argentina", "Armenia", "Australia", "Austria", "Azerbaijan",
    "Bahrain", "Bangladesh", "Belarus", "Belgium", "Bhutan", "Bolivia", "Brazil", "Brunei", "Bulgaria", "Cambodia",
    "Cameroon", "Canada", "Chile", "China", "Colombia", "Croatia", "Cuba", "Cyprus", "Czechia", "Denmark", "Ecuador",
    "Egypt", "Estonia", "Ethiopia", "Fiji", "Finland", "France", "Georgia", "Germany", "Ghana", "Greece", "Guam",
    "Hungary", "Iceland", "India", "Indonesia", "Iran", "Iraq", "Ireland", "Israel", "Italy", "Japan", "Jordan",
    "Kazakhstan", "Kenya", "Kiribati", "Korea", "Kuwait", "Kyrgyzstan", "Laos", "Latvia", "Lebanon", "Libya",
    "Lithuania", "Luxembourg", "Malaysia", "Maldives", "Mexico", "Mongolia", "Morocco", "Myanmar", "Nauru", "Nepal",
    "Netherlands", "Nigeria", "Norway", "Oman", "Pakistan", "Palau", "Panama", "Peru", "Philippines", "Poland",
    "Portugal", "Qatar", "Romania", "Russia", "Rwanda", "Samoa", "Serbia", "Singapore", "Slovakia", "Slovenia",
    "Spain", "Sweden", "Switzerland", "Taiwan", "Tajikistan", "Tanzania", "Thailand", "Tonga", "Turkey", "Tuvalu",
    "Uganda", "Ukraine", "Uruguay", "Uzbekistan", "Vanuatu", "Venezuela", "Vietnam", "Yemen", "Zambia", "Zimbabwe",
    "Asia", "Europe", "Africa", "Oceania", "Antarctica", "Mekong", "Hong Kong", "Macau", "Timor-Leste", "Sri Lanka",
    "New Zealand", "Papua New Guinea", "Solomon Islands", "South Korea", "North Korea", "Saudi Arabia",
    "United Kingdom", "United Arab Emirates", "South Africa",
}
# Words before a name that make it a place ("near Tokyo", "schools in Osaka").
PLACE_BEFORE = re.compile(rf"\b(?:in|near|at|outside|around|across|throughout|within|from|to|off|via|between){SPACE}+"
                          rf"(?:the{SPACE}+)?\Z")
_PERSON_AFTER = re.compile(rf",{SPACE}+(?:a|an|the|who|whose|its|his|her)\b|{SPACE}+(?:said|says|told|wrote|added|"
                           rf"argued|noted|explained|warned|believes|thinks)\b")
_PERSON_BEFORE = re.compile(rf"\b(?:said|says|told|according{SPACE}to){SPACE}+\Z")
_CREDIT_BEFORE = re.compile(rf"(?:^|\n)[^\S\n]*(?:Photo|Photograph|Image|Picture|Credit|Source|Illustration|Video)"
                            rf"(?:{SPACE}+(?:credit|by))?{SPACE}*[:/]{SPACE}*\Z", re.IGNORECASE)


def credited(text: str, start: int) -> bool:
    """"Photo: ASEAN Secretariat": the name credits a picture."""
    return _CREDIT_BEFORE.search(text, max(0, start - 30), start) is not None


def name_type(text: str, start: int, end: int, words: list[str], person: bool = False) -> str:
    """The kind of the name text[start:end] made of `words`."""
    if credited(text, start):
        return "credit"
    if person:
        return "person"
    name = text[start:end]
    last = words[-1]
    for kind in ("publication", "event", "programme", "organisation", "place"):
        if last in _HEADS[kind] or name in _HEADS[kind]:
            return kind
    for kind in ("organisation", "programme"):
        if words[0] in _HEADS[kind]:  # "Ministry of Marine Affairs", "Act on Marine Resources"
            return kind
    if name in COUNTRIES or PLACE_BEFORE.search(text, max(0, start - 20), start):
        return "place"
    if len(words) == 1:
        return "organisation" if name.isupper() else "place"
    if _PERSON_AFTER.match(text, end) or _PERSON_BEFORE.search(text, max(0, start - 20), start):
        return "person"
    if 2 <= len(words) <= 4 and all(w[0].isupper() for w in words) and not any(w.isupper() for w in words):
        return "person"  # "Chea Sopheap", "Ana Liza Macaraeg": no word says otherwise
    return "organisation"
