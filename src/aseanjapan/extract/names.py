"""Names in a text: mentions of the actors and initiatives the database knows, and unknown
names that look like organisations, programmes, places or people."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..batching import slices
from .kinds import COUNTRIES, credited, name_type
from .spans import SENTENCE_END, SPACE, Candidate, SpanSet, trie_pattern
from .words import MONTH_NAMES, WEEKDAYS


@dataclass(frozen=True)
class KnownName:
    name: str
    kind: str  # actor | initiative
    slug: str
    alias: bool = False  # another name for it ("Tokyo" for Japan), which may name something else too


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(name) <= 10 and all(c.isupper() for c in letters)


_DASHES = "-‐‑–—"  # hyphen, Unicode hyphens, en dash, em dash: one separator in names
_JOINING_DASHES = "-‐‑–"  # an unspaced em dash is punctuation ("with ASEAN—especially"), never a compound
_LOWERCASE_PART = re.compile(r"[a-z]+\b(?![-‐‑–][A-Za-z])")
_DASH_RUN = re.compile(rf"{SPACE}*[{_DASHES}]{SPACE}*")


def _name_key(name: str, acronym: bool) -> str:
    """The form names are compared in: dashes and their spacing as one "-", runs of spaces as
    one, and any case unless the name is an acronym."""
    key = " ".join(_DASH_RUN.sub("-", name).split())
    return key if acronym else key.lower()


def _name_units(key: str) -> list[str]:
    """A name key as regex pieces: each character, any dash for "-", any spaces between words."""
    units: list[str] = []
    for part in re.split(r"([- ])", key):
        if part == "-":
            units.append(rf"{SPACE}*[{_DASHES}]{SPACE}*")
        elif part == " ":
            units.append(rf"{SPACE}+")
        elif part:
            units.extend(re.escape(c) for c in part)
    return units


def find_known(text: str, names: Iterable[KnownName], taken: list[tuple[int, int]] | None = None) -> list[Candidate]:
    """Mentions of known actors and initiatives; acronyms match case-sensitively (and an actor's
    all-caps acronym of four letters or more in title case too: "Asean"), names in any case;
    hyphen, en dash and em dash are one. A name joined to another by a dash ("Japan-Philippines")
    is a mention when the other part is known too. Spans in `taken` (figures such as
    "US$22.5 billion") are not searched."""
    words: dict[str, KnownName] = {}
    acronyms: dict[str, KnownName] = {}
    for known in names:
        acronym = _is_acronym(known.name)
        key = _name_key(known.name, acronym)
        if len(key) >= 2:
            (acronyms if acronym else words).setdefault(key, known)
    for key, known in list(acronyms.items()):
        if known.kind == "actor" and len(key) >= 4 and key.isalpha():
            acronyms.setdefault(key[0] + key[1:].lower(), known)
    if not words and not acronyms:
        return []
    raw: list[tuple[int, int, KnownName]] = []
    claimed = SpanSet(taken or [])
    key_of: dict[tuple[str, int], str] = {}  # a long text names the same few actors thousands of times
    for by_key, flags in ((words, re.IGNORECASE), (acronyms, 0)):
        keys = sorted(by_key)
        for chunk in slices(keys, 2000):  # keep each pattern a manageable size
            # A cheap look at the first character spares the trie most positions.
            initials = "".join(sorted({re.escape(c) for k in chunk for c in (k[0], k[0].upper(), k[0].lower())}))
            pattern = re.compile(rf"(?=[{initials}])(?<!\w)(?:{trie_pattern(_name_units(k) for k in chunk)})(?!\w)", flags)
            # The matches of one pattern never overlap one another: each is tested against the
            # spans claimed before this pattern, and they are all claimed after it.
            accepted: list[tuple[int, int]] = []
            for m in pattern.finditer(text):
                start, end = m.span()
                if claimed.overlaps(start, end):
                    continue
                matched = m.group(0)
                if (key := key_of.get((matched, flags))) is None:
                    key = key_of[matched, flags] = _name_key(matched, flags == 0)
                known = by_key.get(key)
                if known is None:
                    continue
                raw.append((start, end, known))
                accepted.append((start, end))
            claimed = claimed.merged(accepted)
    # Next to a dash, a name is part of a compound: a mention when its neighbour across the
    # dash is a known name too ("Japan-Philippines") or a word that says what it did
    # ("Japan-funded", "Japan-led"); not inside another word ("e-ASEAN", "Indo-Japan Corp").
    starts, ends = {s for s, _, _ in raw}, {e for _, e, _ in raw}
    found = [Candidate(known.kind, s, e, text[s:e], target=known.slug, alias=known.alias) for s, e, known in raw
             if (s == 0 or text[s - 1] not in _JOINING_DASHES or s - 1 in ends)
             and (e == len(text) or text[e] not in _JOINING_DASHES or e + 1 in starts
                  or _LOWERCASE_PART.match(text, e + 1) is not None)]
    return sorted(found, key=lambda c: c.start)


# A capitalised word, or a brand with a short lowercase prefix kept whole ("e-Conomy"); a name
# never starts inside a word ("Conomy").
_CAP_WORD = r"(?:[a-z]{1,2}-)?(?:[A-Z][\w'’&.-]*[\w]|[A-Z])"
_NAME_START = r"(?<![\w'’&.-])"
_JOINER = r"(?:of|for|and|the|on|de|del|da|van|von)"
# "Ministry of Economy, Trade and Industry": a comma stays inside a name when a list of single
# capitalised words ending in "and <Word>" follows it.
_LIST_COMMA = rf",{SPACE}(?=(?:{_CAP_WORD},{SPACE}){{0,6}}{_CAP_WORD}{SPACE}and{SPACE}[A-Z])"
_NAME_GAP = rf"(?:{SPACE}(?:{_JOINER}{SPACE})*|{_LIST_COMMA})"
# Runs of capitalised words, and single ones that do not open a sentence (a sentence's first
# word is capitalised anyway: it is looked at only when it is a name elsewhere, see find_unknown).
_NOT_OPENING = r"(?<![.!?]\s)(?<![.!?][\"”’)]\s)(?<!\n)(?<!\n[\"“‘(])"
_PROPER = re.compile(rf"{_NAME_START}{_CAP_WORD}(?:{_NAME_GAP}{_CAP_WORD})+|{_NAME_START}{_NOT_OPENING}{_CAP_WORD}")
_OPENING_WORD = re.compile(rf"[\"“‘(]?(?P<word>{_CAP_WORD})(?!{SPACE}[A-Z]|[\w'’&.-])")
_EXPANSION_ACRONYM = re.compile(
    rf"{_NAME_START}(?P<exp>{_CAP_WORD}(?:{_NAME_GAP}{_CAP_WORD}){{1,10}}){SPACE}\((?P<acr>[A-Z][A-Za-z0-9&-]{{1,11}})\)")
_NOT_NAMES = {*MONTH_NAMES, *WEEKDAYS}
# Where an acronym in brackets stands: the expansion before it is looked for only there (the
# expansion pattern, tried at every capital of a long text, costs more than all its matches).
_ACRONYM_IN_BRACKETS = re.compile(r"\((?=[A-Z][A-Za-z0-9&-]{1,11}\))")
_EXPANSION_REACH = 600  # characters before the bracket: eleven capitalised words and their gaps


def _expansions(text: str) -> Iterator[re.Match[str]]:
    """The matches of _EXPANSION_ACRONYM, in order, as its scan of the whole text finds them."""
    end = 0
    for bracket in _ACRONYM_IN_BRACKETS.finditer(text):
        close = text.index(")", bracket.end()) + 1
        for m in _EXPANSION_ACRONYM.finditer(text, max(end, bracket.start() - _EXPANSION_REACH), close):
            if m.end() == close:
                end = close
                yield m
                break


# A sentence's first word is capitalised anyway and is dropped from a name, unless it is a
# known name ("Japan Coast Guard"), the acronym's initial, or a word that starts names.
_NAME_HEADS = {"Ministry", "Department", "Bank", "Agency", "Council", "Office", "Institute", "University", "Universiti",
               "Chamber", "Centre",
               "Center", "Association", "Committee", "Commission", "Foundation", "Fund", "Bureau", "Embassy",
               "National", "Royal", "North", "South", "East", "West", "Northeast", "Northwest", "Southeast",
               "Southwest"}
_JOINERS = {"of", "for", "and", "the", "on", "de", "del", "da", "van", "von"}
_ARTICLES = {"The", "A", "An"}
_NAME_TOKEN = re.compile(r"[^\s,]+|,")
_BULLET_BEFORE = re.compile(rf"(?:^|\n){SPACE}*[-*•–]{SPACE}+\Z")
# Between two known names of one run: spaces, commas, dashes, a possessive, joiner words
_KNOWN_GAP = re.compile(r"(?:['’]s)?[^\w\s,]*"  # what ends the word of a known name: "Japan's", "Japan-"
                        r"(?:[\s,]+(?:(?:of|for|and|the|on|de|del|da|van|von)[\s,]+)*)?"  # joiner words between
                        r"[^\w\s,]*")  # what begins the next: "(ASEAN"
_MENTION = ("actor", "initiative")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _is_heading(line: str) -> bool:
    """A short Title Case line without a full stop ("Japan-ASEAN Ties Get a Boost")."""
    stripped = line.rstrip(" \"”’')")
    if len(line) > 200 or not stripped or stripped[-1] in ".!?:;,":
        return False
    words = [w for w in _WORD.findall(line) if len(w) >= 4]  # "a", "at", "of" are lowercase in titles
    capitalised = sum(w[0].isupper() for w in words)
    return capitalised >= 2 and capitalised >= 0.8 * len(words)  # "with" may be too


@dataclass
class _Name:
    """Words of a run of capitalised words, as (start, end, what) with what one of "joiner",
    "known" (a word inside known names) or "word"."""
    tokens: list[tuple[int, int, str]]

    @property
    def start(self) -> int:
        return self.tokens[0][0]

    @property
    def end(self) -> int:
        return self.tokens[-1][1]

    @property
    def known(self) -> bool:
        return all(what != "word" for _, _, what in self.tokens)

    @property
    def words(self) -> int:
        return sum(what != "joiner" for _, _, what in self.tokens)


def _one_acronym(text: str, name: _Name) -> bool:
    """A lone all-caps word ("AUKUS"): a name of its own, never the end of "Quad and ..."."""
    word = text[name.start : name.end]
    return len(name.tokens) == 1 and len(word) > 1 and _is_acronym(word)


class _RunSplitter:
    """Splits a run of capitalised words into the names it holds, knowing where the known
    names are. A known name is a name of its own ("Japan and Southeast Asia"), unless it is one
    word of a longer name ("South China Sea", "Japan Coast Guard", "Bank of Japan"): then the
    longer name is proposed and the caller drops the shorter mention."""

    def __init__(self, text: str, mentions: list[tuple[int, int]], sentence_starts: set[int],
                 paragraphs: list[tuple[int, int]]):
        self.text = text
        self.starts = [start for start, _ in mentions]
        self.ends = [end for _, end in mentions]
        self.sentence_starts = sentence_starts
        self.paragraphs = paragraphs
        self.paragraph_starts = [start for start, _ in paragraphs]
        self.headings: dict[int, bool] = {}

    def in_heading(self, pos: int) -> bool:
        """In a Title Case line without a full stop ("Japan-ASEAN Ties Get a Boost"), where
        capitalised words say little about where a name ends."""
        i = bisect_right(self.paragraph_starts, pos) - 1
        if i < 0:
            return False
        if i not in self.headings:
            start, end = self.paragraphs[i]
            self.headings[i] = _is_heading(self.text[start:end])
        return self.headings[i]

    def _first_mention(self, start: int) -> int:
        i = bisect_right(self.starts, start) - 1
        return i if i >= 0 and self.ends[i] > start else i + 1

    def covered(self, start: int, end: int) -> bool:
        """Every letter of the word text[start:end] is in a known name (a possessive 's aside)."""
        i, pos = self._first_mention(start), start
        while i < len(self.starts) and self.starts[i] < end:
            if any(ch.isalnum() for ch in self.text[pos : self.starts[i]]):
                return False
            pos, i = max(pos, self.ends[i]), i + 1
        rest = self.text[pos:end]
        return pos > start and (rest in ("'s", "’s") or not any(ch.isalnum() for ch in rest))

    def all_known(self, start: int, end: int) -> bool:
        """Whether the run text[start:end] holds only known names, joined by joiner words,
        commas and dashes ("Japan and ASEAN", "Japan-Philippines"): nothing in it to propose,
        and the commonest run in a long text."""
        i, pos = self._first_mention(start), start
        if i >= len(self.starts) or self.starts[i] >= end:
            return False
        while i < len(self.starts) and self.starts[i] < end:
            if _KNOWN_GAP.fullmatch(self.text, pos, self.starts[i]) is None:
                return False
            pos, i = max(pos, self.ends[i]), i + 1
        return _KNOWN_GAP.fullmatch(self.text, pos, end) is not None

    def opens_sentence(self, pos: int) -> bool:
        """The first word of a sentence, of a quotation, or after a colon."""
        if pos in self.sentence_starts:
            return True
        if _BULLET_BEFORE.search(self.text, max(0, pos - 4), pos):
            return True  # "- Both sides reaffirmed ...": a list item's first word
        before = self.text[max(0, pos - 3):pos]
        return bool(before) and (before.rstrip()[-1:] in ("|", "•", "·") or before[-1] in "\"“‘('[" and (pos - 1 in self.sentence_starts or before[:-1].strip() == "")
                                 or before.rstrip().endswith((":", "\u2014", "–")) or "\n" in before[-1:])

    def _inside_mention(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and self.starts[i] < pos < self.ends[i]

    def names(self, start: int, end: int, acronym: str | None = None) -> list[_Name]:
        """The names in the run text[start:end], in order; known ones included."""
        text = self.text
        tokens = [(t.start(), t.end()) for t in _NAME_TOKEN.finditer(text, start, end)]
        at_sentence_start = start in self.sentence_starts or (
            start > 0 and text[start - 1] in "\"“‘([" and start - 1 in self.sentence_starts)
        if acronym and tokens and text[slice(*tokens[0])] in _ARTICLES:
            tokens.pop(0)  # "The Maritime Domain Awareness Fund (MDAF)" names the fund, not "The ..."
        elif at_sentence_start and tokens:
            first = text[slice(*tokens[0])]
            if not (self.covered(*tokens[0]) or first in _NAME_HEADS or first in _TITLE_WORDS
                    or (acronym and acronym[0] == first[0])):
                tokens.pop(0)
        # Parts between separators (", ", " and ", after a known possessive: "Japan's Coast Guard")
        parts: list[list[tuple[int, int, str]]] = [[]]
        seps: list[str] = []
        for s, e in tokens:
            word = text[s:e]
            if word in (",", "and") and not self._inside_mention(s):
                parts.append([])
                seps.append(word)
            elif word.lower().rstrip(".") in _NOT_NAMES:  # "met in Manila on May 21": a month ends a name
                parts.append([])
                seps.append("month")
            elif word in _JOINERS:
                parts[-1].append((s, e, "joiner"))
            elif self.covered(s, e):
                parts[-1].append((s, e, "known"))
                if word.endswith(("'s", "’s")):
                    parts.append([])
                    seps.append("'s")
            else:
                parts[-1].append((s, e, "word"))
        names: list[_Name] = []
        group: list[_Name] = []  # unknown parts that make one name: "Ministry of Economy, Trade and Industry"
        listed = False  # after a comma that is not inside an of-name: "Fiji, Samoa and Solomon Islands"
        for tokens_of_part, sep in zip(parts, [""] + seps):
            the_after_and = bool(tokens_of_part) and text[tokens_of_part[0][0]:tokens_of_part[0][1]] == "the"
            while tokens_of_part and tokens_of_part[0][2] == "joiner":
                tokens_of_part.pop(0)
            while tokens_of_part and tokens_of_part[-1][2] == "joiner":
                tokens_of_part.pop()
            part = _Name(tokens_of_part) if tokens_of_part else None
            of_name = bool(group) and any(text[s:e] in ("of", "for", "on") for s, e, _ in group[0].tokens)
            listed = listed or (sep == "," and not of_name)
            # "Ministry of Economy, Trade and Industry", "Science and Technology Agency", "Act on
            # Marine Resources and the Coastal Zone"; but "India and Australia" are two names, and
            # so are "Bangkok, Manila and Ho Chi Minh City"
            joins = part is not None and group and not part.known and (
                (sep == "," and of_name)
                or (sep == "and" and of_name and the_after_and)
                or (sep == "and" and not listed and (group[-1].words == 1 or part.words == 1)
                    and (of_name or part.words > 1) and not (_one_acronym(text, group[-1]) or _one_acronym(text, part))))
            if not joins and group:
                names.append(_Name([t for p in group for t in p.tokens]))
                group = []
            if part is not None:
                (names.append(part) if part.known else group.append(part))
        if group:
            names.append(_Name([t for p in group for t in p.tokens]))
        return names

    def proposable(self, name: _Name) -> bool:
        """An unknown name, and the known names in it are single words embedded in it: an
        unknown word follows them, or "of"/"for" precedes them ("Bank of Japan"). A known name
        of several words is a name of its own ("Prime Minister Fumio Kishida" is not proposed),
        and so is one only preceded by a capitalised word ("Offer ASEAN nations")."""
        if name.known or name.words < 2:
            return False
        if (any(what == "known" for _, _, what in name.tokens) and self.in_heading(name.start)
                and not credited(self.text, name.start)):
            return False
        heads = any(self.text[s:e] in _ORGANISATION_STARTS for s, e, what in name.tokens if what == "word")
        word_after = False
        for i in range(len(name.tokens) - 1, -1, -1):
            s, e, what = name.tokens[i]
            if what == "word":
                word_after = True
            elif what == "known":
                j = self._first_mention(s)
                if any(ch.isspace() for ch in self.text[self.starts[j] : self.ends[j]]):
                    return False
                before = [self.text[ts:te] for ts, te, _ in name.tokens[max(0, i - 2):i]]
                after_of = bool(before) and (before[-1] in ("of", "for") or before == ["of", "the"])
                if not (word_after or after_of or heads):
                    return False
        return True


def _trim_to_acronym(text: str, name: _Name, acronym: str) -> _Name:
    """The longest tail of an expansion whose words' initials spell its acronym: "Siti
    Rahmawati of the Centre for Archipelagic Policy Studies (CAPS)" names the centre, and
    "the Tokyo-based Institute for Pacific Resilience (IPR)" the institute. The name as it
    is when no tail does ("Association of Southeast Asian Nations (ASEAN)"), or when only known
    names are before the tail."""
    letters = "".join(ch for ch in acronym.upper() if ch.isalpha())
    for i, (s, _, what) in enumerate(name.tokens):
        if what == "joiner":
            continue
        initials = "".join(text[ts].upper() for ts, _, w in name.tokens[i:] if w != "joiner")
        if initials == letters:
            # a known name before it belongs to the name ("ASEAN Digital Economy Framework Agreement (DEFA)")
            dropped_unknown = any(w == "word" for _, _, w in name.tokens[:i])
            return _Name(name.tokens[i:]) if dropped_unknown else name
    return name


# Words of a person's title: "Rear Admiral Jose Dela Cruz of the Philippine Coast Guard" is a
# person of an organisation, two names ("Minister of Foreign Affairs" is one: no name between).
_TITLES = {"Admiral", "General", "Minister", "Secretary", "Director", "Ambassador", "Dr", "Dr.", "Professor", "Prof",
           "Prof.", "President", "Chairman", "Chairwoman", "Chair", "Commander", "Captain", "Colonel", "Chief",
           "Governor", "Mayor", "Senator", "Spokesperson", "Spokesman", "Spokeswoman", "Deputy", "Lieutenant",
           "Mr", "Mr.", "Ms", "Ms.", "Mrs", "Mrs.", "Assoc", "Assoc.", "Asst", "Asst.", "Fellow", "Analyst",
           "Researcher", "Lecturer", "Dean", "Rector", "Adviser", "Advisor"}
# Words of a title before a person's name, kept as the person's role: "Prime Minister Anwar
# Ibrahim" is Anwar Ibrahim, "Dr. Nguyen Thi Lan" is Nguyen Thi Lan.
_TITLE_WORDS = _TITLES | {
    "Prime", "Vice", "Foreign", "Defence", "Defense", "Trade", "Finance", "Economy", "Senior", "Executive", "Rear",
    "Major", "Brigadier", "Datuk", "Dato", "Dato'", "Datin", "Seri", "Sri", "Tun", "Sir", "Dame", "King", "Queen",
    "Prince", "Princess", "Emperor", "Crown", "Sultan", "Speaker", "Inspector", "Superintendent", "Commissioner",
    "Chancellor", "Premier", "Envoy", "Consul", "Justice", "Judge", "Rev.", "Father", "Officer", "Interior", "Home",
    "Labour", "Labor", "Health", "Education", "Transport", "Industry", "Investment", "Agriculture", "Energy",
    "Environment", "Tourism", "Fisheries", "Maritime", "State", "Assistant", "Associate", "Managing", "General"}


def _split_person_of(text: str, name: _Name) -> list[_Name]:
    words = [text[s:e] for s, e, _ in name.tokens]
    titled = [i for i, w in enumerate(words) if w in _TITLES]
    if not titled:
        return [name]
    # the title, then name words only, then "of" ("Governor of the Bank of Thailand" is an office)
    first = titled[-1] + 1
    if any(w in _ORGANISATION_STARTS or w in _CORPORATE_ENDS for w in words[first:]):
        return [name]
    for i in range(first, len(words)):
        if name.tokens[i][2] != "joiner":
            continue
        if words[i] != "of" or i == first:
            return [name]
        right = name.tokens[i + 1:]
        while right and right[0][2] == "joiner":
            right = right[1:]
        return [_Name(name.tokens[:i])] + ([_Name(right)] if right else [])
    return [name]


_LOWERCASE_NEXT = re.compile(rf"{SPACE}+[a-z]")
_DEMONYM_ENDINGS = ("ian", "ean", "ican", "ese", "ish")
_DEMONYM_PLURALS = ("ians", "eans")  # "Indonesians", "Koreans": peoples, not names
_PEOPLES = {"Thais", "Filipinos", "Filipinas", "Khmers", "Malays", "Lao", "Burmese", "Japanese", "Chinese", "Vietnamese"}
_NOT_DEMONYMS = {"Ocean", "Caribbean"}


def _adjective(text: str, name: _Name) -> bool:
    """"Southeast Asian nations", "Japanese firms": a demonym before a common noun, not a name
    ("Bank of Japan raised", "Colombo Plan was", "Indian Ocean last" are names)."""
    last = text[name.tokens[-1][0] : name.end]
    return (last.endswith(_DEMONYM_ENDINGS) and last not in _NOT_DEMONYMS
            and all(what != "joiner" for _, _, what in name.tokens)
            and _LOWERCASE_NEXT.match(text, name.end) is not None)


# Capitalised single words that are no name: titles, months and days, demonyms, languages,
# common words capitalised by style, and abbreviations of common nouns.
_NOT_SINGLE_NAMES = _TITLE_WORDS | {w.capitalize() for w in _NOT_NAMES} | {
    "I", "A", "An", "The", "Mr", "Ms", "OK", "TV", "Internet", "Web", "English", "French", "German", "Dutch", "Swiss",
    "British", "Spanish", "Italian", "Russian", "Thai", "Lao", "Khmer", "Malay", "Filipino", "Filipina", "Burmese",
    "Korean", "Chinese", "Japanese", "Vietnamese", "Christmas", "Ramadan", "Eid", "Covid", "God", "Islamic", "Muslim",
    "Buddhist", "Christian", "Catholic", "Western", "Eastern", "Northern", "Southern", "Central", "Asian", "Pacific-wide",
    "Photo", "Image", "Source", "Credit", "Read", "Share", "Related", "Updated", "Published", "Note", "Editor",
    "Philippine", "Lao", "Timorese", "Kiwi", "Aussie"}
_NOT_ACRONYMS = {
    "GDP", "GNP", "GNI", "CEO", "CFO", "CTO", "COO", "LNG", "LPG", "FDI", "SME", "SMEs", "MOU", "MoU", "MOUs", "ICT",
    "EVs", "ESG", "SDG", "SDGs", "GHG", "CO2", "UAV", "UAVs", "USV", "PPP", "IPO", "R&D", "VAT", "COVID", "HIV", "AIDS",
    "NGO", "NGOs", "USD", "JPY", "EUR", "SGD", "PDF", "URL", "KPI", "ETF", "M&A", "CPI", "PMI", "VIP", "DNA", "GPS",
    "FAQ", "HQ", "TEU", "TEUs", "MW", "GW", "KWH", "AM", "PM", "ASAP", "PhD", "MBA", "BSc", "MSc", "EEZ", "EEZs",
    "ODA", "RMB", "CBD", "STEM", "AIS", "LCC", "LCCs", "CCS", "MRT", "LRT", "OEM", "OEMs", "API", "APIs", "IoT", "NEWS",
    "UTC", "GMT", "ICU", "SOE", "SOEs", "PPE", "TPP"}
_SHORT_ACRONYMS = {"UN", "UK", "G7", "G20", "G8"}
_COMPOUND_SUFFIX = re.compile(r"[-‑–](?:based|led|built|made|owned|funded|backed|born|listed|registered|era|style|"
                              r"bound|run|focused|centred|centered|wide|linked|flagged|friendly)$")
_CORPORATE_ENDS = {"Group", "Corporation", "Corp", "Holdings", "Company", "Co", "Inc", "Ltd", "Limited", "Berhad", "Bhd"}
_ORGANISATION_STARTS = {"University", "Universiti", "Institute", "Bank", "Ministry", "Chamber", "Embassy", "Council",
                        "Agency", "Association", "Federation", "National", "Royal", "Department", "Centre", "Center",
                        "Office", "Bureau", "Commission", "Committee", "Authority", "Foundation"}
_HOLIDAYS = {"New Year", "Lunar New Year", "Chinese New Year", "Christmas Day", "New Year's Day", "Golden Week"}
_NUMBER_AFTER = re.compile(rf"{SPACE}\d")
_CAPITALS_AROUND = re.compile(rf"{SPACE}[A-Z]{{2,}}\b")
_CAPITALS_BEFORE = re.compile(rf"\b[A-Z]{{2,}}{SPACE}\Z")
_DESIGNATION_TOKEN = re.compile(r"[A-Za-z]+-\d|\d")


@dataclass
class _Occurrence:
    start: int
    end: int
    name: str
    acronym: str | None = None
    kind: str | None = None
    role: str | None = None
    single: bool = False  # one word
    weak: bool = False  # a sentence's first word or a heading's: only another occurrence makes it a name
    span_end: int | None = None  # the end of the proposal's span, when it runs past the name ("... (ACR)")


def _strip_title(text: str, name: _Name) -> tuple[_Name, str | None]:
    """"Prime Minister Anwar Ibrahim" -> (Anwar Ibrahim, "Prime Minister"): title words before
    one to four name words (not an office such as "Minister of Foreign Affairs", nor an
    organisation's name such as "General Department of Customs")."""
    tokens = name.tokens
    i = 0
    while i < len(tokens) and tokens[i][2] == "word" and text[tokens[i][0]:tokens[i][1]] in _TITLE_WORDS:
        i += 1
    rest = tokens[i:]
    if i == 0 or not rest or len(rest) > 4 or any(what != "word" for _, _, what in rest):
        return name, None
    if any(text[s:e] in _ORGANISATION_STARTS or text[s:e] in _CORPORATE_ENDS for s, e, _ in rest):
        return name, None
    return _Name(rest), text[tokens[0][0]:tokens[i - 1][1]]


def _company_of_country(text: str, name: _Name) -> _Name:
    """"Maybank Group of Malaysia" names the company; Malaysia stays a mention of its own."""
    tokens = name.tokens
    for i, (s, e, what) in enumerate(tokens):
        if text[s:e] == "of" and i >= 2 and text[tokens[i - 1][0]:tokens[i - 1][1]] in _CORPORATE_ENDS and all(
                w == "known" for _, _, w in tokens[i + 1:]) and i + 1 < len(tokens):
            return _Name(tokens[:i])
    return name


def find_unknown(text: str, known: list[Candidate], paragraphs: list[tuple[int, int]],
                 blocked: Iterable[tuple[int, int]] = ()) -> list[Candidate]:
    """Names that match nothing known, one candidate per name and document with every place it
    occurs (its acronym alone, a person's surname alone), each with what it names (person,
    organisation, place, programme, publication, event, or a picture's credit). A known name
    that is one word of a longer name ("Japan Coast Guard") does not stop the longer name; the
    caller drops such mentions (`extract`). Figures and dates are never inside a name, and
    nothing in a `blocked` span (a promotion line) is one."""
    mentions = sorted((c.start, c.end) for c in known if c.kind in _MENTION)
    taken = SpanSet([*((c.start, c.end) for c in known if c.kind not in _MENTION), *blocked])
    sentence_starts = {p_start for p_start, _ in paragraphs} | {b.end() for b in SENTENCE_END.finditer(text)}
    splitter = _RunSplitter(text, mentions, sentence_starts, paragraphs)
    found: list[_Occurrence] = []
    expansions: list[tuple[int, int]] = []
    for m in _expansions(text):
        if sum(ch.isupper() for ch in m["acr"]) < 2 and not _SHORT_NAME.fullmatch(m["acr"]):
            continue  # "(green)" is no acronym; "(Bakamla)" is the agency's short name
        names = splitter.names(*m.span("exp"), acronym=m["acr"])
        if not names or names[-1].end != m.end("exp"):
            continue
        name = _trim_to_acronym(text, _joined_for(text, names, m["acr"]), m["acr"])
        if not splitter.proposable(name):
            continue  # "Official Security Assistance (OSA)" is known already
        start, end = name.start, name.end
        if taken.overlaps(start, m.end()):
            continue
        found.append(_Occurrence(start, end, text[start:end], acronym=m["acr"], span_end=m.end()))
        expansions.append((start, m.end()))
    # Runs of capitalised words never overlap one another: each is checked against figures,
    # dates and the expansions only.
    taken = taken.merged(expansions)
    mention_spans = set(mentions)
    for m in _PROPER.finditer(text):
        whole = m[0]
        if " " not in whole and "," not in whole and "\t" not in whole:
            if m.span() in mention_spans:
                continue  # a known name on its own (the commonest case in a long text)
            occurrence = _single_word(text, m.start(), m.end(), splitter)
            if occurrence is not None and not taken.overlaps(occurrence.start, occurrence.end):
                found.append(occurrence)
            continue
        if splitter.all_known(*m.span()):
            continue
        for part in (p for w in splitter.names(*m.span()) for p in _split_person_of(text, w)):
            name, role = _strip_title(text, _company_of_country(text, part))
            if len(name.tokens) == 1 and name.tokens[0][2] == "word" and role is None:
                s, e, _ = name.tokens[0]
                occurrence = _single_word(text, s, e, splitter)  # one word left of a run ("Samoa" in a list)
                if occurrence is not None and not taken.overlaps(occurrence.start, occurrence.end):
                    found.append(occurrence)
                continue
            if (role is None and not splitter.proposable(name)) or _adjective(text, name):
                continue
            start, end = name.start, name.end
            if text.endswith(("'s", "’s"), start, end):  # "Southeast Asia's water": the name is "Southeast Asia"
                end -= 2
            words = text[start:end].split()
            if (taken.overlaps(start, end) or any(w.lower().strip(".") in _NOT_NAMES for w in words)
                    or any(_DESIGNATION_TOKEN.search(w) for w in words) or text[start:end] in _HOLIDAYS):
                continue
            year = _YEAR_AFTER.match(text, end)  # "Regional Outlook Survey 2025": the year is the title's
            if year and not taken.overlaps(end, year.end()):
                end = year.end()
            if role is None and (dotted := _DOTTED_TITLE_BEFORE.search(text, max(0, start - 14), start)):
                role = dotted["title"]  # "Dr. Nguyen Thi Lan"
            found.append(_Occurrence(start, end, text[start:end], role=role,
                                     kind=name_type(text, start, end, words, person=role is not None)))
    # A sentence's first word, where it is a name found elsewhere ("Lan linked the rise").
    names_found = {o.name for o in found} | {o.acronym for o in found if o.acronym} | {
        word for o in found if o.kind == "person" for word in o.name.split()}
    for pos in splitter.sentence_starts:
        if (opening := _OPENING_WORD.match(text, pos)) is None:
            continue
        word_start, word_end = opening.span("word")
        if text.endswith(("'s", "’s"), word_start, word_end):
            word_end -= 2
        word = text[word_start:word_end]
        if (word in names_found or word in COUNTRIES) and not taken.overlaps(word_start, word_end) and not (
                splitter.covered(word_start, word_end)):
            found.append(_Occurrence(word_start, word_end, word, single=True, weak=word not in COUNTRIES))
    return _one_per_name(text, found, splitter)


_SHORT_NAME = re.compile(r"[A-Z][a-z]{3,11}")
_DOTTED_TITLE_BEFORE = re.compile(rf"(?<![\w.])(?P<title>(?:Assoc\.{SPACE}Prof|Dr|Mr|Ms|Mrs|Prof|Gen|Adm|Capt|Col|Lt|Sen|Gov)\.){SPACE}\Z")
_YEAR_AFTER = re.compile(rf"{SPACE}(?:19|20)\d\d\b(?![-–/.,]?\d)")


def _joined_for(text: str, names: list[_Name], acronym: str) -> _Name:
    """The last name, joined to those before it when together their initials spell the
    acronym: "Centre for Strategic and International Studies (CSIS)"."""
    letters = "".join(ch for ch in acronym.upper() if ch.isalpha())
    tokens: list[tuple[int, int, str]] = []
    for name in reversed(names):
        tokens = name.tokens + [(name.end, name.end, "joiner")] + tokens if tokens else list(name.tokens)
        initials = "".join(text[s].upper() for s, e, what in tokens if what != "joiner" and e > s)
        if initials.endswith(letters) or initials == letters:
            return _Name([t for t in tokens if t[1] > t[0]])
        if len(initials) >= len(letters):
            break
    return names[-1]


def _single_word(text: str, start: int, end: int, splitter: _RunSplitter) -> _Occurrence | None:
    """One capitalised word as a name: "Fiji", "Pakse", an unknown acronym ("ITLOS"), a place
    before "-based" ("Washington-based"). A sentence's or a heading's first word is only a
    name when it is also a name elsewhere in the text (or a country, or an acronym)."""
    word = text[start:end]
    if word in _NOT_SINGLE_NAMES:
        return None
    if word.endswith(("'s", "’s")):
        word, end = word[:-2], end - 2
    if "-" in word and (compound := _COMPOUND_SUFFIX.search(word)):
        word, end = word[:compound.start()], start + compound.start()
    if len(word) < 2 or word in _NOT_SINGLE_NAMES or word in _NOT_ACRONYMS or not word[0].isupper():
        return None
    acronym = word.isupper()
    if not acronym and word not in COUNTRIES and (splitter.opens_sentence(start) or splitter.in_heading(start)):
        # checked only if the word turns out to be a name elsewhere (most such words are not)
        return _Occurrence(start, end, word, single=True, weak=True)
    if splitter.covered(start, end) or _DESIGNATION_TOKEN.search(word) and word not in _SHORT_ACRONYMS:
        return None
    if acronym and sum(ch.isalpha() for ch in word) < 3 and word not in _SHORT_ACRONYMS:
        return None
    if not acronym and (word.endswith(_DEMONYM_ENDINGS) and word not in COUNTRIES or "." in word
                        or word.endswith(_DEMONYM_PLURALS) or word in _PEOPLES):
        return None  # "Indonesian", "Dr."
    if "-" in word and not acronym and any(part[:1].islower() for part in word.split("-")[1:]):
        return None
    if _NUMBER_AFTER.match(text, end) or (acronym and (_CAPITALS_AROUND.match(text, end) or _CAPITALS_BEFORE.search(
            text, max(0, start - 20), start))):
        return None  # "Section 4.2", "Article 9"; "KUALA LUMPUR": capitals for emphasis, not an acronym
    return _Occurrence(start, end, word, single=True)


def _one_per_name(text: str, found: list[_Occurrence], splitter: _RunSplitter) -> list[Candidate]:
    """One candidate per name: its occurrences, its acronym's, and a person's single names."""
    groups: dict[str, list[_Occurrence]] = {}
    by_acronym: dict[str, str] = {}
    by_word: dict[str, str] = {}
    for o in sorted(found, key=lambda o: (o.single, o.start)):
        if o.single:
            key = o.name if o.name in groups else by_acronym.get(o.name) or by_word.get(o.name)
            if o.weak and (key is None or splitter.covered(o.start, o.end) or not groups.get(key)):
                continue
            groups.setdefault(key or o.name, []).append(o)
            continue
        groups.setdefault(o.name, []).append(o)
        if o.acronym:
            by_acronym.setdefault(o.acronym, o.name)
        if o.kind == "person":
            for word in o.name.split():
                if len(word) >= 3 and word not in _TITLE_WORDS:
                    by_word.setdefault(word, o.name)
    out = []
    for key, occurrences in groups.items():
        occurrences.sort(key=lambda o: o.start)
        fullest = max(occurrences, key=lambda o: (len(o.name), -o.start))
        end = fullest.span_end or fullest.end
        if fullest.kind is None:
            words = [w for w in fullest.name.split() if w not in _JOINERS]
            fullest.kind = name_type(text, fullest.start, fullest.end, words or [fullest.name])
        out.append(Candidate(
            "entity", fullest.start, end, text[fullest.start:end], name=key, acronym=fullest.acronym,
            name_type=fullest.kind, role=next((o.role for o in occurrences if o.role), None),
            occurrences=[(o.start, o.span_end or o.end) for o in occurrences]))
    return sorted(out, key=lambda c: c.start)


def outside_names(mentions: list[Candidate], entities: list[Candidate]) -> list[Candidate]:
    """The mentions that are not a word of a proposed longer name (China in "South China Sea")."""
    spans = sorted(span for e in entities for span in (e.occurrences or [(e.start, e.end)]))
    starts = [s for s, _ in spans]

    def inside(c: Candidate) -> bool:
        i = bisect_right(starts, c.start) - 1
        return i >= 0 and spans[i][1] >= c.end

    return [c for c in mentions if not inside(c)]



def places_not_actors(mentions: list[Candidate], text: str) -> list[Candidate]:
    """The mentions of a known actor by an alias that names a city where the words say it is
    the place ("schools in Tokyo", "Narita near Tokyo"), not the actor ("Tokyo pledged").
    A country's own names ("in Vietnam") stay mentions."""
    return [c for c in mentions if c.alias and c.kind == "actor" and c.text not in COUNTRIES
            and _PLACE_PREPOSITION.search(text, max(0, c.start - 20), c.start)]


_PLACE_PREPOSITION = re.compile(rf"\b(?:in|near|outside|around|across|throughout|within|north{SPACE}of|south{SPACE}of|"
                                rf"east{SPACE}of|west{SPACE}of){SPACE}+\Z")
_POSSESSIVE = re.compile(r"['’]s$")


def linked_variants(entities: list[Candidate], names: list[KnownName]) -> tuple[list[Candidate], list[Candidate]]:
    """(the unknown names left, mentions of known records) when an unknown name is a variant of
    a known one: its initials spell the known record's acronym and it shares a word with the
    record's name ("Official Development Aid" for ODA, "Japanese Official Development
    Assistance")."""
    acronyms = {n.name: n for n in names if _is_acronym(n.name) and len(n.name) >= 3}
    words_of: dict[str, set[str]] = {}
    for n in names:
        words_of.setdefault(n.slug, set()).update(w.lower() for w in _WORD.findall(n.name) if len(w) >= 4)
    left, linked = [], []
    for e in entities:
        words = [w for w in (e.name or "").split() if w not in _JOINERS and not _POSSESSIVE.search(w)]
        # "Official Security Assistance (OSA)" with OSA known, or initials that spell a known acronym
        initials = e.acronym or ("".join(w[0] for w in words).upper() if len(words) >= 2 else "")
        known = acronyms.get(initials)
        if known is None or not (e.acronym or {w.lower() for w in words} & words_of.get(known.slug, set())):
            left.append(e)
            continue
        linked += [Candidate(known.kind, s, t, e.text if s == e.start else e.text, target=known.slug)
                   for s, t in e.occurrences or [(e.start, e.end)]]
    return left, linked
