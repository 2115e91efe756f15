"""Extraction speed in CPU time: what `aj source add` spends on one large text, stage by stage.

    python bench/extract_speed.py --mb 1,4                # generated texts, best of 3 runs each
    python bench/extract_speed.py --mb 4 --profile 25     # and cProfile's top 25 of one run
    python bench/extract_speed.py --json bench/results/extract-speed.json

The machine is shared, so wall time says as much about the neighbours as about the code:
`time.process_time` counts only this process's CPU. Each stage is timed on its own (best of
--runs): reading the file (`read_source`), extraction (`extract`: dates, figures, known and
unknown names, each timed too), and the whole `add_source` into a fresh copy of a seeded
SQLite database (reading, extraction and writing the document and its candidates; the copy
is made before the clock starts). Texts come from
`generate.py text` (made-up sentences with figures, dates and names), with the known names
of a freshly seeded database.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402


def best(fn, runs: int, setup=None) -> tuple[float, object]:
    """The least CPU time of `runs` calls (the others lost time to the machine), and a result;
    `setup` runs before each call, untimed."""
    times, result = [], None
    for _ in range(runs):
        if setup is not None:
            setup()
        t0 = time.process_time()
        result = fn()
        times.append(time.process_time() - t0)
    return min(times), result


def measure(path: Path, runs: int, folder: Path) -> dict:
    from aseanjapan.db import make_engine
    from aseanjapan.extract import find_dates, find_figures, find_known, find_unknown
    from aseanjapan.extract import extract as extract_all
    from aseanjapan.loading.ingest import add_source, known_names
    from aseanjapan.loading.sources import read_source
    from aseanjapan.migrate import upgrade
    from aseanjapan.textnorm import paragraph_spans

    raw = path.read_bytes()
    seeded = folder / "seeded.sqlite"
    if not seeded.exists():
        engine = make_engine(f"sqlite:///{seeded}")
        upgrade(engine)
        engine.dispose()
    engine = make_engine(f"sqlite:///{seeded}")
    with engine.connect() as conn:
        names = known_names(conn)
    engine.dispose()

    read_s, source = best(lambda: read_source(path.name, raw), runs)
    text = source.text
    extract_s, found = best(lambda: extract_all(text, names), runs)
    stages = {}
    stages["dates"], dates = best(lambda: find_dates(text), runs)
    stages["figures"], figures = best(lambda: find_figures(text, dates), runs)
    stages["known names"], known = best(lambda: find_known(text, names, [(c.start, c.end) for c in figures + dates]), runs)
    paragraphs = paragraph_spans(text)
    stages["unknown names"], _ = best(lambda: find_unknown(text, known + figures + dates, paragraphs), runs)

    copy = folder / "add.sqlite"

    def fresh_copy() -> None:
        copy.write_bytes(seeded.read_bytes())

    def add() -> None:
        engine = make_engine(f"sqlite:///{copy}")
        try:
            add_source(engine, path.name, raw)
        finally:
            engine.dispose()

    add_s, _ = best(add, runs, fresh_copy)
    mb = len(raw) / 1e6
    return {"file": path.name, "bytes": len(raw), "candidates": len(found), "runs": runs,
            "read_s": round(read_s, 3), "extract_s": round(extract_s, 3),
            "stages_s": {k: round(v, 3) for k, v in stages.items()}, "add_source_s": round(add_s, 3),
            "extract_mb_s": round(mb / extract_s, 2), "read_and_extract_mb_s": round(mb / (read_s + extract_s), 2),
            "add_source_mb_s": round(mb / add_s, 2)}


def profile(path: Path, top: int) -> str:
    from aseanjapan.extract import extract as extract_all
    from aseanjapan.loading.sources import read_source

    text = read_source(path.name, path.read_bytes()).text
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(extract_all, text, [])
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", default="1,4", help="sizes of the generated texts, in MB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "aj-extract-speed")
    parser.add_argument("--profile", type=int, metavar="TOP", help="also print cProfile's TOP functions (own time)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for mb in (float(x) for x in args.mb.split(",")):
        path = args.work / f"text-{mb:g}mb.txt"
        if not path.exists():
            generate.write_text(path, mb)
        r = measure(path, args.runs, args.work)
        results.append(r)
        stages = ", ".join(f"{k} {v:.2f}" for k, v in r["stages_s"].items())
        print(f"{r['bytes'] / 1e6:.2f} MB: extraction {r['extract_s']:.2f} s CPU = {r['extract_mb_s']:.2f} MB/s "
              f"({stages}); reading {r['read_s']:.2f} s; read + extract {r['read_and_extract_mb_s']:.2f} MB/s; "
              f"add_source {r['add_source_s']:.2f} s = {r['add_source_mb_s']:.2f} MB/s; {r['candidates']:,} candidates")
        if args.profile:
            print(profile(path, args.profile))
    if args.json:
        import subprocess
        from datetime import datetime, timezone

        commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        meta = {"commit": commit, "measured": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                "command": "python bench/extract_speed.py " + " ".join(sys.argv[1:])}
        args.json.write_text(json.dumps({"meta": meta, "texts": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
