#!/bin/sh
# Freeze a commit for benchmarking while the working tree keeps changing:
#   sh bench/snapshot.sh [COMMIT]      -> /tmp/aj-snap-<short>/.venv/bin/python
# The commit is exported with `git archive` (the repository is not touched) and installed
# non-editable, with the dependency versions pyproject.toml allows today. Then:
#   /tmp/aj-snap-<short>/.venv/bin/python bench/run.py --scale small
# run.py reads SNAPSHOT_COMMIT beside the venv to say which code it measured.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$repo" rev-parse "${1:-HEAD}")
short=$(git -C "$repo" rev-parse --short "$commit")
dir=/tmp/aj-snap-$short
if [ ! -x "$dir/.venv/bin/aj" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    git -C "$repo" archive "$commit" | tar -x -C "$dir"
    echo "$commit" > "$dir/SNAPSHOT_COMMIT"
    python3 -m venv "$dir/.venv"
    "$dir/.venv/bin/pip" install -q "$dir[postgres]"
fi
echo "$dir/.venv/bin/python"
