"""Extraction quality: precision and recall of `aj source add`'s candidates against gold
annotations written by hand (bench/quality/README.md).

    python bench/quality/score.py                    # tune/ and heldout/, one table each
    python bench/quality/score.py bench/quality/tune --details   # every miss and false alarm
    python bench/quality/score.py --json results.json

Each article goes through the library path `aj source add` takes: `read_source` (the stored
text, its title, byline and date), the publication date read as `add_source` reads it, and
`propose_candidates` with the known names of a freshly seeded database. Gold spans are
counted in the article text the annotator saw (check_gold.py's `visible_text`) and mapped
onto the stored text by aligning the two, so a stored text that drops or adds lines is
judged on what it actually holds.

Matching (as the quality set's README recommends): a proposal matches a gold figure or date
when the spans overlap; value, unit, start, end and precision are then compared on their own.
A gold name is found when a proposal overlaps one of its occurrences (and, for a known name,
links to its slug); a proposal that matches nothing, a second proposal for a name already
found, and a link to a known actor where the words mean something else are false alarms.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tempfile
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from check_gold import matches, visible_text  # noqa: E402  (the annotators' own reading of an article)

CATEGORIES = ("figures", "dates", "known names", "unknown names")


# ---- the library path ---------------------------------------------------------------------------

def known_names():
    """Every name, alias and acronym of a freshly migrated and seeded database."""
    from aseanjapan.db import make_engine
    from aseanjapan.loading.ingest import known_names as names_in
    from aseanjapan.migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/quality.sqlite")
        upgrade(engine)
        with engine.connect() as conn:
            names = names_in(conn)
        engine.dispose()
    return names


def propose(path: Path, names) -> tuple[object, object, list]:
    """(the source as read, its publication date, the candidates), as `aj source add` makes them."""
    from aseanjapan.dates import parse_fuzzy
    from aseanjapan.loading import ingest
    from aseanjapan.loading.sources import read_source

    source = read_source(path.name, path.read_bytes())
    try:
        published = parse_fuzzy(source.published)
    except ValueError:
        published = parse_fuzzy(None)
    if hasattr(ingest, "propose_candidates"):
        found = ingest.propose_candidates(source.text, names, published=published)
    else:  # aj before 13 (72a4763), measured for comparison: store_candidates called extract itself
        from aseanjapan.extract import extract

        found = extract(source.text, names)
    return source, published, found


# ---- gold spans on the stored text -------------------------------------------------------------

class SpanMap:
    """Maps character offsets of the annotators' article text onto the stored text, through
    the blocks the two texts share (whitespace differences and dropped lines allowed)."""

    def __init__(self, gold_text: str, stored: str):
        blocks = difflib.SequenceMatcher(None, gold_text, stored, autojunk=False).get_matching_blocks()
        self.blocks = [(a, b, n) for a, b, n in blocks if n]
        self.starts = [a for a, _, _ in self.blocks]

    def offset(self, pos: int) -> int | None:
        i = bisect_right(self.starts, pos) - 1
        if i < 0:
            return None
        a, b, n = self.blocks[i]
        return b + pos - a if pos < a + n else None

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """The stored span of gold text[start:end], when all of it is in the stored text."""
        first, last = self.offset(start), self.offset(end - 1)
        if first is None or last is None or last < first:
            return None
        return first, last + 1


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Gold:
    entry: dict
    spans: list[tuple[int, int]]  # in the stored text (a name has several; empty: not in the stored text)
    found_by: list = field(default_factory=list)


def article_text(path: Path, gold: dict) -> str:
    full = visible_text(path)
    start = full.find(gold["text_start"])
    end = full.find(gold["text_end"], max(start, 0))
    return full[start : end + len(gold["text_end"])]


def name_occurrences(text: str, entries: list[dict]) -> list[list[tuple[int, int]]]:
    """Each entry's occurrences in the article text, by the quality set's rules: its text,
    variants and acronym, not inside a longer listed name (unless listed in its mentions)."""
    forms = [(n, span) for n, e in enumerate(entries)
             for form in [e["text"], *(e.get("variants") or []), *([e["acronym"]] if e.get("acronym") else [])]
             for span in matches(text, form)]
    out: list[list[tuple[int, int]]] = [[] for _ in entries]
    for n, (s, t) in forms:
        inside = [m for m, (s2, t2) in forms if s2 <= s and t <= t2 and (t2 - s2) > (t - s)]
        if any(m == n for m in inside):
            continue
        if any(entries[n]["text"] not in (entries[m].get("mentions") or []) for m in inside):
            continue
        out[n].append((s, t))
    return out


# ---- proposals in the gold's terms --------------------------------------------------------------

def figure_unit(c) -> str:
    return c.unit or "count"


def date_reading(c) -> dict:
    """A date candidate as the gold writes dates: start, end, precision."""
    qualifier = getattr(c, "date_qualifier", None)
    precision = c.date_precision

    def fmt(d, prec):
        if d is None:
            return None
        if prec == "day":
            return d.isoformat()
        if prec == "month":
            return f"{d.year:04d}-{d.month:02d}"
        if prec in ("decade", "part-of-decade"):
            return f"{d.year // 10 * 10:04d}s"
        return f"{d.year:04d}"

    if qualifier == "fiscal-year":
        end = c.date_end if c.date_end and c.date_end.year > c.date_start.year + 1 else None
        return {"start": fmt(c.date_start, "year"), "end": fmt(end and end.replace(year=end.year - 1), "year"),
                "precision": "fiscal-year"}
    if qualifier in ("early", "mid", "late"):
        return {"start": fmt(c.date_start, "decade"), "end": None, "precision": "part-of-decade", "part": qualifier}
    end = "present" if getattr(c, "date_open_end", False) else fmt(c.date_end, precision)
    return {"start": fmt(c.date_start, precision), "end": end, "precision": precision}


def occurrences_of(c) -> list[tuple[int, int]]:
    return list(getattr(c, "occurrences", None) or [(c.start, c.end)])


# ---- scoring -------------------------------------------------------------------------------------

@dataclass
class Tally:
    gold: int = 0
    proposed: int = 0
    true: int = 0  # proposals that match a gold entry
    found: int = 0  # gold entries matched
    checks: dict[str, list[int]] = field(default_factory=dict)  # name -> [right, compared]
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def check(self, name: str, right: bool) -> None:
        pair = self.checks.setdefault(name, [0, 0])
        pair[0] += bool(right)
        pair[1] += 1

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.proposed += other.proposed
        self.true += other.true
        self.found += other.found
        for name, (right, compared) in other.checks.items():
            pair = self.checks.setdefault(name, [0, 0])
            pair[0] += right
            pair[1] += compared
        self.misses += other.misses
        self.false += other.false

    @property
    def precision(self) -> float:
        return self.true / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def score_article(gold_path: Path, names) -> dict[str, Tally]:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    path = gold_path.parent / gold["article"]
    source, published, candidates = propose(path, names)
    text = source.text
    ref = article_text(path, gold)
    spans = SpanMap(ref, text)
    label = path.name

    def where(span: tuple[int, int]) -> str:
        return f"{label}: {text[span[0]:span[1]]!r} in ...{text[max(0, span[0] - 40):span[1] + 40]!r}".replace("\n", " / ")

    def gold_span(entry: dict) -> tuple[int, int] | None:
        found = matches(ref, entry["text"])
        occurrence = entry.get("occurrence")
        if occurrence is None and entry.get("context"):
            at = ref.find(entry["context"])
            occurrence = 1 + sum(1 for s, _ in found if s < at + entry["context"].find(entry["text"]))
        occurrence = occurrence or 1
        return spans.span(*found[occurrence - 1]) if len(found) >= occurrence else None

    tallies = {category: Tally() for category in CATEGORIES}
    traps = [s for x in gold.get("not_figures") or [] for s in (spans.span(*m) for m in matches(ref, x["text"])) if s]

    # figures and dates: one proposal, one span
    for category, kind, entries in (("figures", "statistic", gold.get("figures") or []),
                                    ("dates", "date", gold.get("dates") or [])):
        tally = tallies[category]
        golds = [Gold(e, [s] if (s := gold_span(e)) else []) for e in entries]
        tally.gold = len(golds)
        proposals = [c for c in candidates if c.kind == kind]
        tally.proposed = len(proposals)
        for c in proposals:
            hit = next((g for g in golds if not g.found_by and any(overlaps((c.start, c.end), s) for s in g.spans)), None)
            if hit is None:
                trap = " (listed as not a figure)" if any(overlaps((c.start, c.end), s) for s in traps) else ""
                again = any(any(overlaps((c.start, c.end), s) for s in g.spans) for g in golds)
                tally.false.append(where((c.start, c.end)) + trap + (" (a second proposal)" if again else ""))
                continue
            hit.found_by.append(c)
            tally.true += 1
        for g in golds:
            if not g.found_by:
                tally.misses.append(f"{label}: {g.entry['text']!r}" + ("" if g.spans else " (not in the stored text)"))
                continue
            tally.found += 1
            c, e = g.found_by[0], g.entry
            if category == "figures":
                value_right = close(c.value, e["value"]) and close(c.value_high, e.get("value_high"))
                tally.check("value", value_right)
                tally.check("unit", figure_unit(c) == e["unit"])
                if not value_right or figure_unit(c) != e["unit"]:
                    tally.misses.append(f"{label}: {e['text']!r} read as {c.value} {c.value_high} {figure_unit(c)}, "
                                        f"gold {e['value']} {e.get('value_high')} {e['unit']} (found, wrongly read)")
            else:
                reading = date_reading(c)
                want = {"start": e.get("start"), "end": e.get("end"), "precision": e["precision"]}
                got = {key: reading.get(key) for key in want}
                right = got == want
                tally.check("resolution", right)
                if not right:
                    tally.misses.append(f"{label}: {e['text']!r} read as {got}, gold {want} (found, wrongly resolved)")
                tally.check("relative said", bool(getattr(c, "date_relative", False)) == bool(e.get("relative")))

    # names: one gold entry per entity, with every occurrence
    entries = gold.get("names") or []
    occurrences = name_occurrences(ref, entries)
    golds = [Gold(e, [s for o in occ if (s := spans.span(*o))]) for e, occ in zip(entries, occurrences)]
    known = [g for g in golds if g.entry.get("known") and g.entry.get("actor", True)]
    unknown = [g for g in golds if g not in known]
    tallies["known names"].gold, tallies["unknown names"].gold = len(known), len(unknown)
    for c in candidates:
        if c.kind in ("actor", "initiative"):
            tally, pool = tallies["known names"], known
            hits = [g for g in pool if g.entry.get("known_as") == c.target
                    and any(overlaps((c.start, c.end), s) for s in g.spans)]
        elif c.kind == "entity":
            tally, pool = tallies["unknown names"], unknown
            hits = [g for g in pool if any(overlaps(o, s) for o in occurrences_of(c) for s in g.spans)]
        else:
            continue
        tally.proposed += 1
        if not hits:
            meant = [g.entry["text"] for g in golds if any(overlaps(o, s) for o in occurrences_of(c) for s in g.spans)]
            what = f" (gold: {', '.join(meant)})" if meant else ""
            tally.false.append(where((c.start, c.end)) + (f" -> {c.target}" if c.target else "") + what)
            continue
        if c.kind == "entity" and all(g.found_by for g in hits):
            tally.false.append(where((c.start, c.end)) + f" (a second proposal for {hits[0].entry['text']!r})")
            continue
        tally.true += 1
        for g in hits:
            g.found_by.append(c)
    for category, pool in (("known names", known), ("unknown names", unknown)):
        tally = tallies[category]
        for g in pool:
            if not g.found_by:
                tally.misses.append(f"{label}: {g.entry['text']!r}" + ("" if g.spans else " (not in the stored text)"))
                continue
            tally.found += 1
            if category == "unknown names":
                c = g.found_by[0]
                forms = {g.entry["text"], *(g.entry.get("variants") or [])}
                tally.check("name exact", (c.name or c.text) in forms)
                tally.check("type", getattr(c, "name_type", None) == g.entry["type"])
    meta = tallies.setdefault("metadata", Tally())
    for key, got in (("title", source.title), ("author", (source.authors or [None])[0]),
                     ("published", str(published) if published.start else None)):
        want = gold.get(key)
        meta.check(key, (got or None) == (want or None))
        if (got or None) != (want or None):
            meta.misses.append(f"{label}: {key} {got!r}, gold {want!r}")
    return tallies


def score(folder: Path, names) -> dict[str, Tally]:
    totals = {category: Tally() for category in (*CATEGORIES, "metadata")}
    articles = sorted(folder.glob("*.gold.yaml"))
    for gold_path in articles:
        for category, tally in score_article(gold_path, names).items():
            totals[category].add(tally)
    totals["metadata"].gold = len(articles)
    return totals


def table(name: str, totals: dict[str, Tally]) -> str:
    lines = [f"{name} ({totals['metadata'].gold} articles)", "",
             "| category | gold | proposed | matched | precision | recall | correct when matched |",
             "|---|---|---|---|---|---|---|"]
    for category in CATEGORIES:
        t = totals[category]
        checks = ", ".join(f"{check} {right}/{n}" for check, (right, n) in t.checks.items())
        lines.append(f"| {category} | {t.gold} | {t.proposed} | {t.true} | {t.precision:.2f} | {t.recall:.2f} | {checks} |")
    meta = totals["metadata"]
    lines.append("")
    lines.append("metadata read right: " + ", ".join(f"{check} {right}/{n}" for check, (right, n) in meta.checks.items()))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", type=Path, help="folders of articles with *.gold.yaml (default: tune, heldout)")
    parser.add_argument("--details", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    sets = args.sets or [p for p in (HERE / "tune", HERE / "heldout") if p.is_dir()]
    names = known_names()
    results = {}
    for folder in sets:
        totals = score(folder, names)
        results[folder.name] = {category: {"gold": t.gold, "proposed": t.proposed, "matched": t.true,
                                           "precision": round(t.precision, 3), "recall": round(t.recall, 3),
                                           "checks": t.checks} for category, t in totals.items()}
        print(table(folder.name, totals))
        if args.details:
            for category, t in totals.items():
                for line in t.misses:
                    print(f"  miss  [{category}] {line}")
                for line in t.false:
                    print(f"  false [{category}] {line}")
        print()
    if args.json:
        import subprocess
        from datetime import datetime, timezone

        import aseanjapan

        commit = subprocess.run(["git", "-C", str(Path(aseanjapan.__file__).parent), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        meta = {"commit": commit or None, "measured": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                "command": "python bench/quality/score.py " + " ".join(sys.argv[1:])}
        args.json.write_text(json.dumps({"meta": meta, **results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
