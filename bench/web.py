"""Page render times of `aj serve` (issue 16), next to the same query through the library.

    python bench/web.py --scale medium            # builds /tmp/aj-bench-web/medium.sqlite once
    python bench/report.py                        # renders bench/results/web-*.json into BENCHMARKS.md

Each page is requested in-process through Starlette's TestClient (no network: the time is
the application's: parameters, library calls, template, response), `--runs` times after two
warm-up requests; the median and p95 are reported. Next to it, the library call that
answers the page's main question (what `aj query`/`show`/`search` runs), timed the same way,
so the page's own overhead (facet counts, totals, the template) shows as the difference.
Needs the web extra: pip install '.[web]'.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
GOAL_MS = 100.0


def build(scale: str, work: Path) -> Path:
    db = work / f"{scale}.sqlite"
    if db.exists():
        return db
    bundle = work / f"bundle-{scale}"
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "bundle", "--scale", scale, "--format", "jsonl",
                    "--out", str(bundle)], check=True)
    aj = Path(sys.executable).with_name("aj")
    subprocess.run([str(aj), "--db", str(db), "load", str(bundle)], check=True)
    return db


def timed(call: Any, runs: int) -> dict[str, float]:
    for _ in range(2):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"p50": round(statistics.median(samples), 2), "p95": round(samples[int(0.95 * (len(samples) - 1))], 2)}


def pages(kb: Any) -> list[tuple[str, str, Any]]:
    """(page, what the library does for it, the library call)."""
    claim = kb.query("claims", area="security", limit=1)[0]["slug"]
    document = kb.query("documents", sort="added", reverse=True, limit=1)[0]["slug"]
    return [
        ("/", "count of each kind + 8 newest documents",
         lambda: ([kb.count(k) for k in ("initiatives", "claims", "statistics", "events", "documents", "actors")],
                  kb.query("documents", sort="added", reverse=True, limit=8))),
        ("/search?q=maritime+security", 'kb.search("maritime security", limit=50)',
         lambda: kb.search("maritime security", limit=50)),
        ("/claims?area=security", 'kb.query("claims", area="security", limit=50)',
         lambda: kb.query("claims", area="security", limit=50)),
        ("/claims?area=security&actor=japan&page=3", 'kb.query("claims", area="security", actor="japan", ...)',
         lambda: kb.query("claims", area="security", actor="japan", limit=50, offset=100)),
        ("/claims.json?area=security", 'kb.query("claims", area="security", limit=50)',
         lambda: kb.query("claims", area="security", limit=50)),
        ("/facets/claims.json?area=security", 'kb.count + kb.facets("claims", area="security") (fetched after the page)',
         lambda: (kb.count("claims", area="security"), kb.facets("claims", budget_ms=400, area="security"))),
        ("/facets/claims.json", 'kb.count + kb.facets("claims") (fetched after the page)',
         lambda: (kb.count("claims"), kb.facets("claims", budget_ms=400))),
        ("/statistics?subject=japan&metric=confidence-do-right-thing", 'kb.query("statistics", subject=..., metric=...)',
         lambda: kb.query("statistics", subject="japan", metric="confidence-do-right-thing", limit=50)),
        ("/initiatives?area=security", 'kb.query("initiatives", area="security", limit=50)',
         lambda: kb.query("initiatives", area="security", limit=50)),
        ("/claims", 'kb.query("claims", limit=50)', lambda: kb.query("claims", limit=50)),
        ("/statistics", 'kb.query("statistics", limit=50)', lambda: kb.query("statistics", limit=50)),
        (f"/claims/{claim}", f'kb.show("claim", "{claim}")', lambda: kb.show("claim", claim)),
        ("/initiatives/osa", 'kb.show("initiative", "osa", rows=50) (the 50 rows a list shows)',
         lambda: kb.show("initiative", "osa", rows=50)),
        (f"/documents/{document}", f'kb.show("document", "{document}")', lambda: kb.show("document", document)),
        ("/timeline?since=2023&until=2023", 'kb.timeline(since="2023", until="2023")',
         lambda: kb.timeline(since="2023", until="2023")),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="medium", choices=("tiny", "small", "medium", "large"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/aj-bench-web"))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    db = build(args.scale, args.work)

    import aseanjapan
    from starlette.testclient import TestClient

    from aseanjapan.web import create_app

    kb = aseanjapan.open(db, ready=False)
    client = TestClient(create_app(kb))
    rows = []
    for url, what, call in pages(kb):
        status = client.get(url).status_code
        if status != 200:
            raise SystemExit(f"{url}: HTTP {status}")
        page = timed(lambda url=url: client.get(url), args.runs)
        library = timed(call, args.runs)
        after = url.startswith("/facets/")  # not a page: what a list page's script fetches after it
        rows.append({"page": url, "library": what, "page_ms": page, "library_ms": library,
                     "met": None if after else page["p50"] < GOAL_MS})
        print(f"{url:60} page p50 {page['p50']:7.1f} ms  library p50 {library['p50']:7.1f} ms", flush=True)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    counts = {k: kb.count(k) for k in ("documents", "claims", "statistics")}
    result = {"meta": {"scale": args.scale, "counts": counts, "runs": args.runs, "commit": commit,
                       "measured": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                       "command": f"python bench/web.py --scale {args.scale} --runs {args.runs}",
                       "python": sys.version.split()[0]}, "pages": rows}
    out = args.out or BENCH / "results" / f"web-{args.scale}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
