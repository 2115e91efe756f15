"""Deterministic synthetic data for the aj benchmarks.

    python bench/generate.py bundle --scale small --out /tmp/aj-bench/small
    python bench/generate.py articles --count 1000 --out /tmp/aj-bench/articles [--format html|txt]
    python bench/generate.py text --mb 4 --out /tmp/aj-bench/big.txt

`bundle` writes JSON (or, with `--format jsonl`, streamed JSON Lines) bundles in the
`aj load` format (data/seed/README.md): generated documents, claims and statistics that
refer to the seed's actors, metrics, areas, initiatives and documents (read from the
installed aj's seed registry, so they always resolve), every claim and statistic cited
to a generated document. Scales:

    small   1,000 documents    10,000 claims    10,000 statistics
    medium 10,000 documents   100,000 claims   100,000 statistics
    large 100,000 documents 1,000,000 claims 1,000,000 statistics

(`--documents/--claims/--statistics` override a scale.) Files hold at most
`--per-file` records each. The same arguments and `--seed` give byte-identical files.

`articles` writes N small raw articles for `aj source add`; `text` one large text file.
All text is assembled from bench/vocab.py, never copied from a source.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import vocab  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _registry() -> Path:
    """The seed registry of the installed aj (what `aj load` will check against), else this tree's."""
    try:
        from aseanjapan.settings import seed_dir

        return seed_dir() / "registry"
    except ImportError:
        return REPO / "data" / "seed" / "registry"

SCALES = {
    "tiny": (100, 1_000, 1_000),
    "small": (1_000, 10_000, 10_000),
    "medium": (10_000, 100_000, 100_000),
    "large": (100_000, 1_000_000, 1_000_000),
}
DOCUMENT_KINDS = ["analysis", "op-ed", "news", "report", "interview", "newsletter", "survey-report", "statement"]
CLAIM_KINDS = ["assessment", "fact", "recommendation", "forecast"]
ASEAN = ["brunei", "cambodia", "indonesia", "laos", "malaysia", "myanmar", "philippines", "singapore",
         "thailand", "vietnam"]


class Seed:
    """The seed registry records a generated bundle may refer to."""

    def __init__(self, registry: Path | None = None):
        registry = registry or _registry()
        def load(name: str, section: str) -> list[dict]:
            return yaml.safe_load((registry / name).read_text(encoding="utf-8"))[section]

        actors = load("actors.yaml", "actors")
        self.actors = [a["slug"] for a in actors]
        kinds = {a["slug"]: a["kind"] for a in actors}
        self.people = [s for s in self.actors if kinds[s] == "person"]
        self.publishers = [s for s in self.actors if kinds[s] in ("institute", "media", "university")]
        self.countries = [s for s in self.actors if kinds[s] == "country"]
        self.asean = [s for s in ASEAN if s in kinds]
        self.metrics = {m["slug"]: m["unit"] for m in load("metrics.yaml", "metrics")}
        self.areas = [a["slug"] for a in load("areas.yaml", "areas")]
        self.initiatives = [i["slug"] for i in load("initiatives.yaml", "initiatives")]
        self.documents = [d["slug"] for d in load("documents.yaml", "documents")]
        # Subjects of statistics: Japan most often, as in the real corpus.
        self.subjects = ["japan"] * 8 + ["china"] * 4 + ["united-states"] * 3 + ["asean"] * 2 + self.asean
        self.subjects = [s for s in self.subjects if s in kinds]


def _date(rng: random.Random) -> str:
    year = rng.randint(2015, 2025)
    roll = rng.random()
    if roll < 0.6:
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if roll < 0.9:
        return f"{year}-{rng.randint(1, 12):02d}"
    return str(year)


def _words(rng: random.Random, sentences: int) -> str:
    return vocab.paragraph(rng, sentences)


def document(rng: random.Random, seed: Seed, n: int) -> dict:
    kind = "survey-report" if n % 20 == 0 else rng.choice(DOCUMENT_KINDS)
    doc = {
        "slug": f"gen-doc-{n:06d}",
        "title": vocab.title(rng),
        "kind": kind,
        "authors": rng.sample(seed.people, k=rng.randint(0, 2)) if seed.people else [],
        "publisher": rng.choice(seed.publishers) if seed.publishers and rng.random() < 0.8 else None,
        "published": _date(rng),
        "url": f"https://example.org/{kind}/{n:06d}",
        "summary": _words(rng, rng.randint(2, 3)),
    }
    if rng.random() < 0.2:
        doc["notes"] = _words(rng, 1)
    return {k: v for k, v in doc.items() if v not in (None, [])}


def _citations(rng: random.Random, n_docs: int, reported_as: str | None = None) -> list[dict]:
    out = []
    for _ in range(1 if rng.random() < 0.7 else 2):
        c = {"document": f"gen-doc-{rng.randrange(n_docs):06d}", "paragraph": rng.randint(1, 40)}
        if reported_as:
            c["reported_as"] = reported_as
        out.append(c)
    return out


def claim(rng: random.Random, seed: Seed, n: int, n_docs: int) -> dict:
    kind = rng.choice(CLAIM_KINDS)
    text = vocab.sentence(rng, kind)
    if rng.random() < 0.4:
        text += " " + vocab.sentence(rng, kind)
    c = {
        "slug": f"gen-claim-{n:07d}",
        "text": text,
        "kind": kind,
        "holders": rng.sample(seed.people + seed.publishers, k=1) if rng.random() < 0.6 else [],
        "actors": rng.sample(["japan", "asean"] + seed.asean + seed.countries, k=rng.randint(1, 3)),
        "initiatives": [rng.choice(seed.initiatives)] if rng.random() < 0.3 else [],
        "areas": rng.sample(seed.areas, k=rng.randint(1, 2)),
        "citations": _citations(rng, n_docs),
    }
    c["actors"] = list(dict.fromkeys(c["actors"]))
    return {k: v for k, v in c.items() if v != []}


def _figure(rng: random.Random, unit: str) -> tuple[float, str]:
    """A value in full units and how a source would print it."""
    if unit == "percent":
        v = round(rng.uniform(1, 99), 1)
        return v, f"{v}%"
    if unit == "usd":
        v = round(rng.uniform(0.1, 80), 1)
        return v * 1e9, f"${v} billion"
    if unit == "count":
        v = rng.randint(2, 900)
        return v * 1e6 if v > 100 else float(v * 1000), f"{v} million" if v > 100 else f"{v * 1000:,}"
    if unit == "rank":
        v = rng.randint(1, 10)
        return float(v), f"No. {v}"
    if unit == "years":
        v = rng.randint(1, 12)
        return float(v), f"{v} years"
    v = round(rng.uniform(0.1, 10), 2)
    return v, str(v)


def statistic(rng: random.Random, seed: Seed, n: int, n_docs: int) -> dict:
    metric = rng.choice(list(seed.metrics))
    unit = seed.metrics[metric]
    value, printed = _figure(rng, unit)
    year = rng.randint(2015, 2025)
    s = {
        "slug": f"gen-stat-{n:07d}",
        "value": value,
        "unit": unit,
        "metric": metric,
        "subject": rng.choice(seed.subjects),
        "population": rng.choice(vocab.POPULATIONS) if unit == "percent" else None,
        "population_actor": rng.choice(seed.asean) if rng.random() < 0.4 else None,
        "period": str(year) if rng.random() < 0.8 else f"{year}-{rng.randint(1, 12):02d}",
        "origin": (rng.choice(seed.documents) if rng.random() < 0.3
                   else f"gen-doc-{rng.randrange(0, n_docs, 20):06d}"),
        "description": f"Share of {rng.choice(vocab.POPULATIONS)} who {rng.choice(vocab.OPINION)} "
                       f"{rng.choice(vocab.PLACES)} on {rng.choice(vocab.TOPICS)}, {year} wave.",
        "areas": rng.sample(seed.areas, k=rng.randint(1, 2)),
        "citations": _citations(rng, n_docs, printed),
    }
    if rng.random() < 0.15:
        s["approximation"] = rng.choice(["about", "nearly", "over"])
    return {k: v for k, v in s.items() if v is not None}


def _write(path: Path, section: str, records: list[dict], fmt: str) -> None:
    with path.open("w", encoding="utf-8") as f:
        if fmt == "json":
            json.dump({"aj_bundle": 1, section: records}, f, ensure_ascii=False, separators=(",", ":"))
        else:  # JSON Lines: one {"section": record} per line, read a chunk at a time by `aj load`
            f.writelines(json.dumps({section: r}, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records)


def write_bundle(out: Path, documents: int, claims: int, statistics: int, seed_value: int = 1,
                 per_file: int = 100_000, fmt: str = "json") -> dict:
    """Write the bundle files into `out` (emptied of earlier bundle files); returns a manifest.

    The records are the same whatever the format; JSON Lines file names sort documents
    first, because a streamed bundle must define records before they are referred to."""
    seed = Seed()
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("bundle-*.json"), *out.glob("bundle-*.jsonl")]:
        old.unlink()
    files = []
    for order, (section, total, make) in enumerate((
            ("documents", documents, lambda r, n: document(r, seed, n)),
            ("claims", claims, lambda r, n: claim(r, seed, n, documents)),
            ("statistics", statistics, lambda r, n: statistic(r, seed, n, documents))), start=1):
        for part, start in enumerate(range(0, total, per_file)):
            # One generator per file: any file can be regenerated alone, identically.
            rng = random.Random(f"{seed_value}:{section}:{part}")
            records = [make(rng, n) for n in range(start, min(total, start + per_file))]
            name = f"bundle-{section}-{part:03d}.json" if fmt == "json" else f"bundle-{order}-{section}-{part:03d}.jsonl"
            _write(out / name, section, records, fmt)
            files.append(name)
    manifest = {"documents": documents, "claims": claims, "statistics": statistics, "seed": seed_value,
                "format": fmt, "files": files, "bytes": sum((out / f).stat().st_size for f in files)}
    # Not .json: `aj load DIR` would take it for a bundle.
    (out / "MANIFEST").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


# ---- raw sources for `aj source add` ------------------------------------------------------------

def _article_paragraphs(rng: random.Random, n: int) -> list[str]:
    paragraphs = []
    for _ in range(n):
        text = vocab.paragraph(rng, rng.randint(2, 5))
        roll = rng.random()
        # Figures and dates, so candidate extraction has work to do.
        if roll < 0.3:
            text += f" About {round(rng.uniform(5, 95), 1)}% of {rng.choice(vocab.POPULATIONS)} agreed."
        elif roll < 0.5:
            text += f" The package was worth ${round(rng.uniform(0.5, 40), 1)} billion in {rng.randint(2016, 2025)}."
        elif roll < 0.6:
            text += f" Talks resumed in {rng.choice(['March', 'June', 'September', 'November'])} {rng.randint(2016, 2025)}."
        paragraphs.append(text)
    return paragraphs


def write_articles(out: Path, count: int, fmt: str = "html", seed_value: int = 1) -> int:
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for n in range(count):
        rng = random.Random(f"{seed_value}:article:{n}")
        title = f"{vocab.title(rng)} (No. {n})"
        paragraphs = _article_paragraphs(rng, rng.randint(5, 10))
        if fmt == "html":
            body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
            text = (f"<!doctype html><html><head><title>{title}</title>"
                    f'<meta name="author" content="Staff Writer"><meta name="date" content="{_date(rng)}">'
                    f"</head><body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
                    f"<article><h1>{title}</h1>\n{body}\n</article>"
                    f"<footer>Copyright example.org. All rights reserved.</footer></body></html>\n")
        else:
            text = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
        path = out / f"article-{n:05d}.{fmt}"
        path.write_text(text, encoding="utf-8")
        total += len(text.encode())
    return total


def write_text(out: Path, megabytes: float, seed_value: int = 1) -> int:
    rng = random.Random(f"{seed_value}:text")
    out.parent.mkdir(parents=True, exist_ok=True)
    limit = int(megabytes * 1024 * 1024)
    size = 0
    with out.open("w", encoding="utf-8") as f:
        f.write("A Long Report on Japan-ASEAN Relations\n\n")
        while size < limit:
            chunk = "\n\n".join(_article_paragraphs(rng, 20)) + "\n\n"
            f.write(chunk)
            size += len(chunk.encode())
    return out.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    b = sub.add_parser("bundle", help="JSON bundles for `aj load`")
    b.add_argument("--scale", choices=SCALES, default="small")
    b.add_argument("--documents", type=int)
    b.add_argument("--claims", type=int)
    b.add_argument("--statistics", type=int)
    b.add_argument("--per-file", type=int, default=100_000)
    b.add_argument("--format", choices=("json", "jsonl"), default="json")
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--out", type=Path, required=True)
    a = sub.add_parser("articles", help="N small raw articles for `aj source add`")
    a.add_argument("--count", type=int, default=1000)
    a.add_argument("--format", choices=("html", "txt"), default="html")
    a.add_argument("--seed", type=int, default=1)
    a.add_argument("--out", type=Path, required=True)
    t = sub.add_parser("text", help="one large plain-text source")
    t.add_argument("--mb", type=float, default=5)
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    if args.mode == "bundle":
        d, c, s = SCALES[args.scale]
        manifest = write_bundle(args.out, args.documents or d, args.claims or c, args.statistics or s,
                                args.seed, args.per_file, args.format)
        print(f"{len(manifest['files'])} files, {manifest['bytes'] / 1e6:.1f} MB in {args.out}")
    elif args.mode == "articles":
        size = write_articles(args.out, args.count, args.format, args.seed)
        print(f"{args.count} articles, {size / 1e6:.2f} MB in {args.out}")
    else:
        size = write_text(args.out, args.mb, args.seed)
        print(f"{size / 1e6:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
