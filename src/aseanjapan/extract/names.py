"""Names in a text: mentions of the actors and initiatives the database knows, and unknown
names that look like organisations, programmes, places or people."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from .spans import SENTENCE_END, SPACE, Candidate, SpanSet, trie_pattern


@dataclass(frozen=True)
class KnownName:
    name: str
    kind: str  # actor | initiative
    slug: str


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(name) <= 10 and all(c.isupper() for c in letters)


_DASHES = "-‐‑–—"  # hyphen, Unicode hyphens, en dash, em dash: one separator in names
_JOINING_DASHES = "-‐‑–"  # an unspaced em dash is punctuation ("with ASEAN—especially"), never a compound
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
        for start in range(0, len(keys), 2000):  # keep each pattern a manageable size
            chunk = keys[start : start + 2000]
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
    # Next to a dash, a name is part of a compound: a mention only when its neighbour across
    # the dash is a known name too ("Japan-Philippines", not "Japan-funded" or "e-ASEAN").
    starts, ends = {s for s, _, _ in raw}, {e for _, e, _ in raw}
    found = [Candidate(known.kind, s, e, text[s:e], target=known.slug) for s, e, known in raw
             if (s == 0 or text[s - 1] not in _JOINING_DASHES or s - 1 in ends)
             and (e == len(text) or text[e] not in _JOINING_DASHES or e + 1 in starts)]
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
_PROPER = re.compile(rf"{_NAME_START}{_CAP_WORD}(?:{_NAME_GAP}{_CAP_WORD})+")
_EXPANSION_ACRONYM = re.compile(
    rf"{_NAME_START}(?P<exp>{_CAP_WORD}(?:{_NAME_GAP}{_CAP_WORD}){{1,10}}){SPACE}\((?P<acr>[A-Z][A-Za-z0-9&-]{{1,11}})\)")
_NOT_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


# A sentence's first word is capitalised anyway and is dropped from a name, unless it is a
# known name ("Japan Coast Guard"), the acronym's initial, or a word that starts names.
_NAME_HEADS = {"Ministry", "Department", "Bank", "Agency", "Council", "Office", "Institute", "University", "Centre",
               "Center", "Association", "Committee", "Commission", "Foundation", "Fund", "Bureau", "Embassy",
               "National", "Royal", "North", "South", "East", "West", "Northeast", "Northwest", "Southeast",
               "Southwest"}
_JOINERS = {"of", "for", "and", "the", "on", "de", "del", "da", "van", "von"}
_ARTICLES = {"The", "A", "An"}
_NAME_TOKEN = re.compile(r"[^\s,]+|,")
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

    def _covered(self, start: int, end: int) -> bool:
        """Every letter of the word text[start:end] is in a known name (a possessive 's aside)."""
        i, pos = self._first_mention(start), start
        while i < len(self.starts) and self.starts[i] < end:
            if any(ch.isalnum() for ch in self.text[pos : self.starts[i]]):
                return False
            pos, i = max(pos, self.ends[i]), i + 1
        rest = self.text[pos:end]
        return pos > start and (rest in ("'s", "’s") or not any(ch.isalnum() for ch in rest))

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
            if not (self._covered(*tokens[0]) or first in _NAME_HEADS or (acronym and acronym[0] == first[0])):
                tokens.pop(0)
        # Parts between separators (", ", " and ", after a known possessive: "Japan's Coast Guard")
        parts: list[list[tuple[int, int, str]]] = [[]]
        seps: list[str] = []
        for s, e in tokens:
            word = text[s:e]
            if word in (",", "and") and not self._inside_mention(s):
                parts.append([])
                seps.append(word)
            elif word in _JOINERS:
                parts[-1].append((s, e, "joiner"))
            elif self._covered(s, e):
                parts[-1].append((s, e, "known"))
                if word.endswith(("'s", "’s")):
                    parts.append([])
                    seps.append("'s")
            else:
                parts[-1].append((s, e, "word"))
        names: list[_Name] = []
        group: list[_Name] = []  # unknown parts that make one name: "Ministry of Economy, Trade and Industry"
        for tokens_of_part, sep in zip(parts, [""] + seps):
            while tokens_of_part and tokens_of_part[0][2] == "joiner":
                tokens_of_part.pop(0)
            while tokens_of_part and tokens_of_part[-1][2] == "joiner":
                tokens_of_part.pop()
            part = _Name(tokens_of_part) if tokens_of_part else None
            of_name = bool(group) and any(text[s:e] in ("of", "for") for s, e, _ in group[0].tokens)
            # "Ministry of Economy, Trade and Industry", "Science and Technology Agency"; but
            # "India and Australia" are two names
            joins = part is not None and group and not part.known and (
                (sep == "," and of_name)
                or (sep == "and" and (group[-1].words == 1 or part.words == 1) and (of_name or part.words > 1)
                    and not (_one_acronym(text, group[-1]) or _one_acronym(text, part))))
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
        if any(what == "known" for _, _, what in name.tokens) and self.in_heading(name.start):
            return False
        word_after = False
        for i in range(len(name.tokens) - 1, -1, -1):
            s, e, what = name.tokens[i]
            if what == "word":
                word_after = True
            elif what == "known":
                j = self._first_mention(s)
                if any(ch.isspace() for ch in self.text[self.starts[j] : self.ends[j]]):
                    return False
                after_of = i > 0 and self.text[name.tokens[i - 1][0] : name.tokens[i - 1][1]] in ("of", "for")
                if not (word_after or after_of):
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
           "Mr", "Mr.", "Ms", "Ms.", "Mrs", "Mrs."}


def _split_person_of(text: str, name: _Name) -> list[_Name]:
    words = [text[s:e] for s, e, _ in name.tokens]
    titled = [i for i, w in enumerate(words) if w in _TITLES]
    if not titled:
        return [name]
    # the title, then name words only, then "of" ("Governor of the Bank of Thailand" is an office)
    first = titled[-1] + 1
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
_NOT_DEMONYMS = {"Ocean", "Caribbean"}


def _adjective(text: str, name: _Name) -> bool:
    """"Southeast Asian nations", "Japanese firms": a demonym before a common noun, not a name
    ("Bank of Japan raised", "Colombo Plan was", "Indian Ocean last" are names)."""
    last = text[name.tokens[-1][0] : name.end]
    return (last.endswith(_DEMONYM_ENDINGS) and last not in _NOT_DEMONYMS
            and all(what != "joiner" for _, _, what in name.tokens)
            and _LOWERCASE_NEXT.match(text, name.end) is not None)


def find_unknown(text: str, known: list[Candidate], paragraphs: list[tuple[int, int]]) -> list[Candidate]:
    """Names that look like organisations or programmes but match nothing known. A known name
    that is one word of a longer name ("Japan Coast Guard") does not stop the longer name; the
    caller drops such mentions (`extract`). Figures and dates are never inside a name."""
    mentions = sorted((c.start, c.end) for c in known if c.kind in _MENTION)
    taken = SpanSet((c.start, c.end) for c in known if c.kind not in _MENTION)
    sentence_starts = {p_start for p_start, _ in paragraphs} | {b.end() for b in SENTENCE_END.finditer(text)}
    splitter = _RunSplitter(text, mentions, sentence_starts, paragraphs)
    found: list[Candidate] = []
    for m in _EXPANSION_ACRONYM.finditer(text):
        if sum(ch.isupper() for ch in m["acr"]) < 2:
            continue  # "(Green)" is no acronym
        names = splitter.names(*m.span("exp"), acronym=m["acr"])
        if not names or names[-1].end != m.end("exp"):
            continue
        name = _trim_to_acronym(text, names[-1], m["acr"])
        if not splitter.proposable(name):
            continue  # "Official Security Assistance (OSA)" is known already
        start, end = name.start, name.end
        if taken.overlaps(start, m.end()):
            continue
        found.append(Candidate("entity", start, m.end(), text[start:m.end()], name=text[start:end], acronym=m["acr"]))
        taken.add(start, m.end())
    for m in _PROPER.finditer(text):
        for name in (part for whole in splitter.names(*m.span()) for part in _split_person_of(text, whole)):
            if not splitter.proposable(name) or _adjective(text, name):
                continue
            start, end = name.start, name.end
            if text.endswith(("'s", "’s"), start, end):  # "Southeast Asia's water": the name is "Southeast Asia"
                end -= 2
            if taken.overlaps(start, end) or any(w.lower().strip(".") in _NOT_NAMES for w in text[start:end].split()):
                continue
            found.append(Candidate("entity", start, end, text[start:end], name=text[start:end]))
            taken.add(start, end)
    return sorted(found, key=lambda c: c.start)


def outside_names(mentions: list[Candidate], entities: list[Candidate]) -> list[Candidate]:
    """The mentions that are not a word of a proposed longer name (China in "South China Sea")."""
    spans = sorted((e.start, e.start + len(e.name or "")) for e in entities)
    starts = [s for s, _ in spans]

    def inside(c: Candidate) -> bool:
        i = bisect_right(starts, c.start) - 1
        return i >= 0 and spans[i][1] >= c.end

    return [c for c in mentions if not inside(c)]

