"""Other tools open the knowledge base as first-class: sqlite-utils and Datasette find its
full-text index, and views give each record with its names and sources, no joins needed."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from aseanjapan.views import VIEW_NAMES

from .clitools import aj
from .conftest import BACKEND


@pytest.mark.skipif(BACKEND != "sqlite", reason="sqlite-utils and Datasette open SQLite files")
def test_sqlite_utils_search_finds_what_aj_search_finds(db_url):
    sqlite_utils = pytest.importorskip("sqlite_utils")
    from sqlalchemy.engine import make_url

    db = sqlite_utils.Database(make_url(db_url).database)
    table = db["search_entries"]
    assert table.detect_fts() == "search_fts"  # how Datasette's search box finds it too
    theirs = {row["slug"] for row in table.search("maritime", columns=["slug"], limit=200)}
    ours = {hit["slug"] for hit in aj("search", "maritime", "-n", "200", "-f", "json").json()}
    assert ours and theirs == ours


def test_views_give_records_with_names_and_readable_citations(engine):
    with engine.connect() as conn:
        trust = conn.execute(text("SELECT * FROM statistics_with_sources WHERE subject = 'Japan' AND value = 58.9")).mappings().one()
        assert trust["metric"] and trust["origin"] and trust["period"] == "2024"
        assert "¶" in trust["cited_by"] and "58.9%" in trust["reported_as"]
        osa = conn.execute(text("SELECT * FROM initiatives_with_sources WHERE slug = 'osa'")).mappings().one()
        assert "Japan" in osa["participants"] and osa["cited_by"]
        citations = conn.execute(text("SELECT count(*) FROM citations_with_sources")).scalar_one()
        assert citations == conn.execute(text("SELECT count(*) FROM citations")).scalar_one()
        for name in VIEW_NAMES:  # every view answers, with a row per record
            assert conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one() > 0, name


def test_views_follow_the_data_and_survive_a_downgrade_and_upgrade(engine):
    from aseanjapan.migrate import downgrade, upgrade

    downgrade(engine, "0009")  # a batch rebuild of events and statistics: views must not be in the way
    upgrade(engine)
    with engine.connect() as conn:
        dated = conn.execute(text("SELECT date, title FROM events_with_sources WHERE date LIKE '2023-12%'")).all()
    assert dated  # the December 2023 commemorative summit, at the day or month its source gives
