"""Shared by the web tests: an added article with pending candidates, and the web app over a test database."""

from __future__ import annotations

from pathlib import Path

from .clitools import aj

ARTICLE = Path(__file__).parent / "fixtures" / "web" / "radar-note.txt"
# A title that would run script if a page printed it as markup.
HOSTILE_TITLE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">Radar <b>note</b>'
DOC = "radar-note"


def add_article() -> dict[str, dict]:
    """Adds the radar article (with a hostile title); its pending candidates by their text."""
    run = aj("source", "add", str(ARTICLE), "--title", HOSTILE_TITLE, "--slug", DOC, "--date", "2025-05",
             "--format", "json")
    assert run.exit_code == 0, run.stderr
    return {c["text"]: c for c in aj("review", "list", "--document", DOC, "--format", "json").json()}
