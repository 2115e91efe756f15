"""What recording history costs a bulk load, and what undoing that load takes.

    python bench/history.py [--documents 200 --claims 2000 --statistics 2000] [--pg URL]

Loads a generated bundle (bench/generate.py) into two fresh copies of the seeded database,
once as aj does (every row captured into a change set) and once with the capture switched
off (history._history_ready patched to say the tables are missing), then undoes the
recorded load. Prints seconds and peak RSS growth for each step, as JSON.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--statistics", type=int, default=2000)
    args = parser.parse_args()
    from generate import write_bundle

    from aseanjapan import history
    from aseanjapan.db import make_engine
    from aseanjapan.history import undo
    from aseanjapan.loading.load import load_files
    from aseanjapan.migrate import upgrade

    work = Path(tempfile.mkdtemp(prefix="aj-bench-history-"))
    write_bundle(work / "bundle", args.documents, args.claims, args.statistics)
    template = work / "template.sqlite"
    engine = make_engine(f"sqlite:///{template}")
    upgrade(engine)
    engine.dispose()
    results = {"documents": args.documents, "claims": args.claims, "statistics": args.statistics}

    def timed(name, fn):  # noqa: ANN001, ANN202
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        out = fn()
        results[name] = {"seconds": round(time.perf_counter() - start, 2),
                         "peak_rss_growth_mib": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss) / 1024, 1)}
        return out

    original = history._history_ready
    history._history_ready = lambda conn: False  # noqa: ARG005
    shutil.copyfile(template, work / "plain.sqlite")
    plain = make_engine(f"sqlite:///{work / 'plain.sqlite'}")
    timed("load_without_history", lambda: load_files(plain, [work / "bundle"]))
    history._history_ready = original
    shutil.copyfile(template, work / "recorded.sqlite")
    recorded = make_engine(f"sqlite:///{work / 'recorded.sqlite'}")
    timed("load_with_history", lambda: load_files(recorded, [work / "bundle"]))
    with recorded.connect() as conn:
        cs, rows = conn.exec_driver_sql("SELECT max(change_set_id), count(*) FROM change_records").one()
    results["rows_recorded"] = rows
    timed("undo_of_that_load", lambda: undo(recorded, cs, command="bench undo"))
    print(json.dumps(results, indent=2))
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
