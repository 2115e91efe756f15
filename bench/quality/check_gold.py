#!/usr/bin/env python3
"""Check the quality set's gold files against their articles (rules in README.md).

    python3 check_gold.py [GOLD.yaml ...]   check the given gold files (default: all)
    python3 check_gold.py --names ...       also list capitalised words no name covers
    python3 check_gold.py --words ...       also list number words no figure covers
    python3 check_gold.py --fill ...        write missing `occurrence` fields, computed from `context`
    python3 check_gold.py --copy-check      report 15-word runs shared with the seed articles

Exit status 1 when any error is found.
"""
from __future__ import annotations

import argparse
import html
import html.parser
import pathlib
import re
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
REGISTRY = HERE.parents[1] / "data" / "seed" / "registry"  # the repository's seed registry
SEEDS = pathlib.Path("/work/shared/seeds")

UNITS = {"percent", "percentage-points", "usd", "jpy", "eur", "sgd", "count", "years", "rank", "ratio"}
QUALIFIERS = {"nearly", "almost", "about", "around", "some", "more than", "over", "at least",
              "up to", "less than", "under", "roughly", "close to", "just over", "just under"}
PRECISIONS = {"day", "month", "year", "decade", "fiscal-year", "part-of-decade"}
NAME_TYPES = {"person", "organisation", "place", "programme", "publication", "event", "credit"}
START_FORMAT = {
    "day": r"\d{4}-\d{2}-\d{2}",
    "month": r"\d{4}-\d{2}",
    "year": r"\d{4}",
    "fiscal-year": r"\d{4}",
    "decade": r"\d{3}0s",
    "part-of-decade": r"\d{3}0s",
}
MONTHS = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
NUMBER_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fifteen|twenty"
    r"|thirty|forty|fifty|sixty|hundred|thousand|dozen|doubled?|doubling|tripled?|quadrupled?"
    r"|halved|twice|thrice|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b",
    re.IGNORECASE,
)
# capitalised words that are never names on their own (for the --names review)
NOT_NAMES = set("""
A An The This That These Those It Its In On At By For From To Of And Or But As With Without
After Before Since Until Over Under Between During While When Where Why How What Which Who
If Yet Still Also Only Even Some Many Most More Less Few Each Every All Both No Not Our Their
His Her He She They We I You Your My Mr Mrs Ms Dr Prof Professor Minister Prime Foreign Defence
Defense Trade Finance Economy President Vice Secretary General Director Deputy Chief Senior
Ambassador Governor Chair Chairman Head Fellow Researcher Analyst Editor Reporter Correspondent
Japanese Vietnamese Thai Malaysian Indonesian Filipino Philippine Singaporean Cambodian
Laotian Bruneian Burmese Chinese American Korean Indian Australian European Asian Southeast
Pacific January February March April May June July August September October November December
Jan Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec Published Updated Photo Read Share Subscribe
Menu Home Search Sign Log Save Get Contact Privacy Terms Advertisement Related Opinion News
Present People Nobody Asked Among Confidence Distrust Earlier Later Meanwhile However Officials
""".split())

BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "br", "tr",
              "table", "section", "article", "header", "footer", "nav", "aside", "figure",
              "figcaption", "blockquote", "main", "dd", "dt", "dl", "hr", "time", "address"}
SKIP_TAGS = {"head", "script", "style", "noscript", "template"}


class _Visible(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(path: pathlib.Path) -> str:
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        parser = _Visible()
        parser.feed(raw)
        parser.close()
        raw = "".join(parser.parts)
    elif path.suffix == ".md":
        raw = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", raw)  # links keep their text
        raw = re.sub(r"(?m)^#{1,6}\s+", "", raw)  # heading marks
        raw = re.sub(r"(?m)^>\s?", "", raw)  # quote marks
        raw = re.sub(r"\*\*|__", "", raw)  # bold
        raw = re.sub(r"(?<![\w*])\*(?!\s)([^*\n]+?)\*(?!\w)", r"\1", raw)  # italics
        raw = re.sub(r"(?<![\w_])_(?!\s)([^_\n]+?)_(?!\w)", r"\1", raw)
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in raw.splitlines())
    return "\n".join(line for line in lines if line)


def matches(text: str, needle: str) -> list[tuple[int, int]]:
    """Exact matches of needle not glued to a letter or digit on either side."""
    found = []
    start = 0
    while True:
        i = text.find(needle, start)
        if i < 0:
            return found
        j = i + len(needle)
        before_ok = not (needle[0].isalnum() and i > 0 and text[i - 1].isalnum())
        after_ok = not (needle[-1].isalnum() and j < len(text) and text[j].isalnum())
        # a number does not match inside a longer number: "3" is not in "0.3" or "3,500"
        if needle[0].isdigit() and i > 1 and text[i - 1] in ".," and text[i - 2].isdigit():
            before_ok = False
        if needle[-1].isdigit() and j + 1 < len(text) and text[j] in ".," and text[j + 1].isdigit():
            after_ok = False
        if before_ok and after_ok:
            found.append((i, j))
        start = i + 1


class Checker:
    def __init__(self, gold_path: pathlib.Path, slugs: set[str] | None):
        self.gold_path = gold_path
        self.gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
        self.article = gold_path.parent / self.gold["article"]
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.slugs = slugs
        full = visible_text(self.article)
        start = full.find(self.gold["text_start"])
        end = full.find(self.gold["text_end"], max(start, 0))
        if start < 0 or end < 0:
            raise SystemExit(f"{gold_path}: text_start or text_end not found in the article text")
        self.text = full[start : end + len(self.gold["text_end"])]

    def err(self, where: str, msg: str) -> None:
        self.errors.append(f"{self.gold_path.relative_to(HERE)}: {where}: {msg}")

    def where_in_context(self, entry: dict, where: str) -> int | None:
        """The occurrence number the entry's context points at, or None."""
        ctx = entry.get("context")
        if not ctx:
            return None
        c = self.text.find(ctx)
        if c < 0:
            self.err(where, f"context not in the article text: {ctx!r}")
            return None
        if self.text.find(ctx, c + 1) >= 0:
            self.err(where, f"context occurs more than once: {ctx!r}")
        inside = [m for m in matches(self.text, entry["text"]) if c <= m[0] and m[1] <= c + len(ctx)]
        if len(inside) != 1:
            self.err(where, f"text {entry['text']!r} occurs {len(inside)} times in its context")
            return None
        return matches(self.text, entry["text"]).index(inside[0]) + 1

    def span_of(self, entry: dict, where: str) -> tuple[int, int] | None:
        found = matches(self.text, entry["text"])
        occ = entry.get("occurrence")
        pointed = self.where_in_context(entry, where)
        if occ is None:
            if pointed is not None:
                entry["occurrence"] = occ = pointed
            elif len(found) == 1:
                entry["occurrence"] = occ = 1
            else:
                self.err(where, f"no occurrence and no context for {entry['text']!r} ({len(found)} matches)")
                return None
        if not isinstance(occ, int) or occ < 1:
            self.err(where, f"bad occurrence {occ!r}")
            return None
        if len(found) < occ:
            self.err(where, f"{entry['text']!r} occurs {len(found)} times, occurrence {occ} asked")
            return None
        if pointed is not None and pointed != occ:
            self.err(where, f"occurrence {occ} but the context points at occurrence {pointed}")
        return found[occ - 1]

    def run(self, show_names: bool, show_words: bool) -> None:
        g = self.gold
        covered: list[tuple[int, int]] = []
        for key in ("article", "published", "title", "author", "text_start", "text_end", "figures", "dates", "names"):
            if key not in g:
                self.err("top", f"missing field {key!r}")
        if g.get("published") is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(g["published"])):
            self.err("published", f"not YYYY-MM-DD: {g['published']!r}")
        if g.get("title") and not self.text.startswith(g["title"]) and g["title"] not in self.text:
            self.err("title", "the title does not occur in the article text")

        seen = set()
        for n, f in enumerate(g.get("figures") or [], 1):
            where = f"figures[{n}] {f.get('text')!r}"
            span = self.span_of(f, where)
            if span:
                if span in seen:
                    self.err(where, "the same span is listed twice")
                seen.add(span)
                covered.append(span)
            if f.get("unit") not in UNITS:
                self.err(where, f"unit {f.get('unit')!r} not in {sorted(UNITS)}")
            if not isinstance(f.get("value"), (int, float)):
                self.err(where, f"value {f.get('value')!r} is not a number")
            if f.get("value_high") is not None and not isinstance(f["value_high"], (int, float)):
                self.err(where, "value_high is not a number")
            if f.get("value_high") is not None and f["value_high"] <= f.get("value", 0):
                self.err(where, "value_high is not above value")
            if f.get("qualifier") is not None and f["qualifier"] not in QUALIFIERS:
                self.err(where, f"qualifier {f['qualifier']!r} not in {sorted(QUALIFIERS)}")
        for n, d in enumerate(g.get("dates") or [], 1):
            where = f"dates[{n}] {d.get('text')!r}"
            span = self.span_of(d, where)
            if span:
                if any(a < span[1] and span[0] < b for a, b in covered):
                    self.err(where, "overlaps another figure or date")
                covered.append(span)
            prec = d.get("precision")
            if prec not in PRECISIONS:
                self.err(where, f"precision {prec!r} not in {sorted(PRECISIONS)}")
                continue
            for field in ("start", "end"):
                value = d.get(field)
                if value is None or (field == "end" and value == "present"):
                    continue
                if not isinstance(value, str) or not re.fullmatch(START_FORMAT[prec], value):
                    self.err(where, f"{field} {value!r} does not fit precision {prec}")
            if d.get("start") is None and d.get("month") is None and prec in ("day", "month"):
                self.err(where, "start is null: give the known month in `month`")
            if prec == "part-of-decade" and d.get("part") not in ("early", "mid", "late"):
                self.err(where, "part-of-decade needs part: early, mid or late")
            if d.get("relative") not in (True, False):
                self.err(where, "relative must be true or false")
            if d.get("relative") and g.get("published") is None and d.get("start") is not None and "year" not in d.get("note", ""):
                self.warnings.append(f"{self.gold_path.name}: {where}: relative date resolved without a publication date")

        self.check_names(covered)
        for n, x in enumerate(g.get("not_figures") or [], 1):
            where = f"not_figures[{n}] {x.get('text')!r}"
            found = matches(self.text, x["text"])
            if not found:
                self.err(where, "does not occur in the article text")
            if not x.get("reason"):
                self.err(where, "no reason given")
            covered.extend(found)

        for m in re.finditer(r"\d+", self.text):
            if not any(a <= m.start() and m.end() <= b for a, b in covered):
                self.err("coverage", f"digits {m.group()!r} covered by no entry: ...{self.text[max(0, m.start() - 40):m.end() + 30]!r}")
        for m in MONTHS.finditer(self.text):
            if not any(a <= m.start() and m.end() <= b for a, b in covered):
                self.err("coverage", f"month {m.group()!r} covered by no date: ...{self.text[max(0, m.start() - 40):m.end() + 30]!r}")
        if show_words:
            for m in NUMBER_WORDS.finditer(self.text):
                if not any(a <= m.start() and m.end() <= b for a, b in covered):
                    print(f"  word  {self.gold_path.name}: {m.group()!r} in ...{self.text[max(0, m.start() - 40):m.end() + 30]!r}".replace("\n", " / "))
        if show_names:
            for m in re.finditer(r"\b[A-Z][\w'’-]*", self.text):
                word = re.sub(r"'s$|’s$", "", m.group())
                line_start = self.text.rfind("\n", 0, m.start()) + 1
                if self.text.startswith("By ", line_start) or (
                        self.gold.get("byline") and self.text.startswith(self.gold["byline"], line_start)):
                    continue  # the byline is metadata
                if word in NOT_NAMES or any(a <= m.start() < b for a, b in self.name_spans + covered):
                    continue
                print(f"  name? {self.gold_path.name}: {m.group()!r} in ...{self.text[max(0, m.start() - 30):m.end() + 30]!r}".replace("\n", " / "))

    def check_names(self, covered: list[tuple[int, int]]) -> None:
        entries = self.gold.get("names") or []
        forms: list[tuple[int, str, tuple[int, int]]] = []  # (entry index, form, span)
        for n, e in enumerate(entries):
            for form in [e.get("text")] + list(e.get("variants") or []) + ([e["acronym"]] if e.get("acronym") else []):
                for span in matches(self.text, form):
                    forms.append((n, form, span))
        byline = [(m.start(), m.end()) for m in re.finditer(r"(?m)^By [^\n]*$", self.text)]
        if self.gold.get("byline"):  # a byline without "By"
            i = self.text.find(self.gold["byline"])
            if i < 0:
                self.err("byline", "not in the article text")
            byline.append((i, i + len(self.gold["byline"])))
        self.name_spans = [span for _, _, span in forms]
        covered.extend(self.name_spans)
        texts = [e.get("text") for e in entries]
        for n, e in enumerate(entries):
            where = f"names[{n + 1}] {e.get('text')!r}"
            if e.get("type") not in NAME_TYPES:
                self.err(where, f"type {e.get('type')!r} not in {sorted(NAME_TYPES)}")
            if e.get("known") not in (True, False):
                self.err(where, "known must be true or false")
            if e.get("known") and not e.get("known_as"):
                self.err(where, "known without known_as")
            if e.get("known_as") and self.slugs is not None and e["known_as"] not in self.slugs:
                self.err(where, f"known_as {e['known_as']!r} is not a registry slug")
            if e.get("actor") not in (True, False):
                self.err(where, "actor must be true or false")
            if texts.count(e.get("text")) > 1:
                self.err(where, "listed twice")
            count = 0
            for m, form, (s, t) in forms:
                if m != n:
                    continue
                if any(a <= s and t <= b for a, b in byline):
                    continue
                if e.get("acronym") == form and self.text[s - 1 : s] == "(" and any(
                    m2 == n and f2 != form and self.text[t2:s] == " (" for m2, f2, (s2, t2) in forms):
                    continue  # "Full Name (ACR)" is one occurrence
                inside = [m2 for m2, f2, (s2, t2) in forms
                          if s2 <= s and t <= t2 and (t2 - s2) > (t - s)]
                if any(m2 == n for m2 in inside):
                    continue  # a shorter form of the same name inside a longer one
                if any(texts[m2] != e.get("text") and e.get("text") not in (entries[m2].get("mentions") or [])
                       for m2 in inside):
                    continue  # nested in another name
                count += 1
            if count != e.get("occurrences"):
                self.err(where, f"occurrences {e.get('occurrences')} but {count} counted")


def registry_slugs() -> set[str] | None:
    if not REGISTRY.is_dir():
        return None
    slugs = set()
    for name in ("actors.yaml", "initiatives.yaml"):
        data = yaml.safe_load((REGISTRY / name).read_text(encoding="utf-8"))
        for rows in data.values():
            slugs.update(row["slug"] for row in rows)
    return slugs


ORDER = {
    "figures": ["text", "occurrence", "value", "value_high", "unit", "qualifier", "context", "note"],
    "dates": ["text", "occurrence", "start", "end", "precision", "relative", "year_inferred", "part", "month", "context", "note"],
}


def fill(path: pathlib.Path, gold: dict) -> None:
    for key, order in ORDER.items():
        gold[key] = [{k: e[k] for k in order if k in e} | {k: v for k, v in e.items() if k not in order}
                     for e in gold.get(key) or []]
    path.write_text(yaml.safe_dump(gold, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8")


def copy_check(window: int = 15) -> int:
    word = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
    grams = {}
    for seed in sorted(SEEDS.glob("*.txt")):
        w = word.findall(seed.read_text(encoding="utf-8", errors="replace").lower())
        for i in range(len(w) - window + 1):
            grams.setdefault(" ".join(w[i : i + window]), seed.name)
    found = 0
    for path in sorted(HERE.rglob("*")):
        if not path.is_file():
            continue
        w = word.findall(path.read_text(encoding="utf-8", errors="replace").lower())
        for i in range(len(w) - window + 1):
            key = " ".join(w[i : i + window])
            if key in grams:
                print(f"{path.relative_to(HERE)}: copied from {grams[key]}: {key!r}")
                found += 1
    return 1 if found else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="*", type=pathlib.Path)
    ap.add_argument("--names", action="store_true")
    ap.add_argument("--words", action="store_true")
    ap.add_argument("--fill", action="store_true")
    ap.add_argument("--copy-check", action="store_true")
    args = ap.parse_args()
    if args.copy_check:
        return copy_check()
    paths = [p.resolve() for p in args.gold] or sorted(HERE.glob("*/*.gold.yaml"))
    slugs = registry_slugs()
    errors = 0
    totals: dict[str, dict[str, int]] = {}
    for path in paths:
        c = Checker(path, slugs)
        c.run(args.names, args.words)
        for line in c.errors:
            print(line)
        for line in c.warnings:
            print("warning:", line)
        errors += len(c.errors)
        if args.fill and not c.errors:
            fill(path, c.gold)
        t = totals.setdefault(path.parent.name, {"articles": 0, "figures": 0, "dates": 0, "names": 0, "not_figures": 0})
        t["articles"] += 1
        for key in ("figures", "dates", "names", "not_figures"):
            t[key] += len(c.gold.get(key) or [])
    for part, t in totals.items():
        print(f"{part}: " + ", ".join(f"{v} {k}" for k, v in t.items()))
    print(f"{errors} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
