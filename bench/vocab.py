"""Made-up Japan-ASEAN vocabulary and sentence templates for the synthetic generator.

Every phrase here was written for the benchmark; none is taken from the seed articles.
Sentences are assembled at random from these parts, so the text has the word mix of the
domain (countries, policy areas, initiatives, figures) without meaning anything.
"""

from __future__ import annotations

import random

PLACES = [
    "Japan", "ASEAN", "Vietnam", "the Philippines", "Indonesia", "Thailand", "Malaysia", "Singapore",
    "Cambodia", "Laos", "Myanmar", "Brunei", "Timor-Leste", "Tokyo", "Jakarta", "Manila", "Hanoi",
    "Bangkok", "Kuala Lumpur", "Phnom Penh", "the Mekong subregion", "maritime Southeast Asia",
]
GROUPS = [
    "the ASEAN Secretariat", "Japanese trading houses", "regional think tanks", "Southeast Asian elites",
    "Japanese firms", "ASEAN member states", "coastal agencies", "development banks", "local governments",
    "defence planners", "small exporters", "university consortia", "port authorities", "energy utilities",
    "fintech start-ups", "labour ministries", "civil society groups", "parliamentary committees",
]
TOPICS = [
    "maritime security", "coast guard capacity", "patrol vessels", "maritime domain awareness",
    "supply chain resilience", "semiconductor investment", "the clean energy transition", "hydrogen projects",
    "carbon capture pilots", "digital public infrastructure", "cross-border payments", "data flows",
    "regional connectivity", "infrastructure finance", "quality infrastructure", "urban rail projects",
    "disaster relief", "humanitarian assistance", "human resource development", "student exchanges",
    "technical training", "official development assistance", "defence equipment transfers", "joint exercises",
    "cybersecurity cooperation", "tariff reduction", "rules of origin", "foreign direct investment",
    "small and medium enterprises", "tourism recovery", "labour mobility", "ageing workforces",
    "the rule of law at sea", "the South China Sea disputes", "great-power rivalry", "strategic trust",
    "public opinion", "cultural diplomacy", "agricultural value chains", "smart city pilots",
    "undersea cables", "critical minerals", "electric vehicle batteries", "green bonds",
]
VERBS = [
    "is expanding", "has strengthened", "continues to support", "is reshaping", "has slowed", "remains central to",
    "is quietly deepening", "could accelerate", "will likely complicate", "has improved", "is lagging behind on",
    "depends heavily on", "is gaining momentum in", "has underwritten", "is struggling with", "stands to gain from",
    "has refocused on", "is cautiously testing", "has doubled down on", "is rebalancing toward",
]
ACTIONS = [
    "invest more in", "coordinate closely on", "set clear targets for", "open dialogue on", "co-finance",
    "build local capacity in", "publish regular reviews of", "align standards for", "pool resources for",
    "lower barriers to", "expand training in", "create joint funds for", "avoid duplicating work on",
]
QUALIFIERS = [
    "over the coming decade", "despite tight budgets", "amid US-China rivalry", "since the commemorative summit",
    "across mainland Southeast Asia", "in the maritime domain", "through co-financing with partners",
    "without a clear timetable", "according to regional surveys", "in the wake of the pandemic",
    "as Chinese influence grows", "with mixed results", "at a slower pace than promised",
    "in partnership with local governments", "under the Comprehensive Strategic Partnership",
    "through the Official Security Assistance framework", "within the AJCEP framework", "ahead of the next summit",
    "while domestic politics shift", "as energy prices fluctuate", "in line with IPEF commitments",
]
CONNECTORS = ["while", "although", "because", "even as", "and", "but", "since", "whereas"]
FORECAST_OPENERS = ["By 2030,", "Within five years,", "Over the next decade,", "Before the end of the decade,",
                    "In the medium term,", "If current trends hold,"]
TITLE_HEADS = [
    "Rethinking", "Beyond", "The Future of", "Navigating", "Reassessing", "Building", "Inside", "Charting",
    "Why", "How", "Measuring", "After", "Bridging", "Recalibrating",
]
TITLE_TAILS = [
    "Japan's Next Steps", "Lessons for ASEAN", "a Partnership at Fifty", "the Case for Co-Creation",
    "What the Surveys Say", "Between Washington and Beijing", "Opportunities and Limits", "A Regional View",
    "Promises and Delivery", "the Road Ahead", "Trust and Its Limits", "Money, Ships and Talent",
]
POPULATIONS = [
    "ASEAN opinion leaders", "Southeast Asian respondents", "business executives in the region",
    "university students surveyed", "government officials surveyed", "respondents in Vietnam",
    "respondents in the Philippines", "small-business owners", "Japanese firms operating in ASEAN",
    "young professionals", "think-tank researchers", "civil servants",
]
OPINION = [
    "express confidence that", "say they trust", "see as a reliable partner", "believe will do the right thing",
    "prefer as a third party", "rank first among dialogue partners", "view favourably", "worry about",
]


def sentence(rng: random.Random, kind: str = "assessment") -> str:
    """One made-up sentence of roughly 18-40 words."""
    a = rng.choice(PLACES + GROUPS)
    if kind == "recommendation":
        head = f"{a} should {rng.choice(ACTIONS)} {rng.choice(TOPICS)} {rng.choice(QUALIFIERS)}"
    elif kind == "forecast":
        verb = rng.choice(VERBS).replace("is ", "will be ").replace("has ", "will have ")
        head = f"{rng.choice(FORECAST_OPENERS)} {a} {verb} {rng.choice(TOPICS)}"
    else:
        head = f"{a} {rng.choice(VERBS)} {rng.choice(TOPICS)} {rng.choice(QUALIFIERS)}"
    tail = f"{rng.choice(CONNECTORS)} {rng.choice(PLACES + GROUPS)} {rng.choice(VERBS)} {rng.choice(TOPICS)}"
    if rng.random() < 0.5:
        tail += f" {rng.choice(QUALIFIERS)}"
    text = f"{head}, {tail}."
    return text[0].upper() + text[1:]


def paragraph(rng: random.Random, sentences: int) -> str:
    kinds = ("assessment", "fact", "recommendation", "forecast")
    return " ".join(sentence(rng, rng.choice(kinds)) for _ in range(sentences))


def title(rng: random.Random) -> str:
    topic = rng.choice(TOPICS)
    return f"{rng.choice(TITLE_HEADS)} {topic[0].upper() + topic[1:]} in {rng.choice(PLACES)}: {rng.choice(TITLE_TAILS)}"
