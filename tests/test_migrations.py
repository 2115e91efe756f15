"""Migrations: pytest-alembic's built-in checks, migrations as history, and the seed's guarantees."""

from __future__ import annotations

import ast

import pytest
from alembic import command
from pytest_alembic.tests import (  # noqa: F401 - collected as this module's tests
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import inspect

from aseanjapan.db import make_engine, write_connection
from aseanjapan.errors import ValidationError
from aseanjapan.loading.seed import sync_seed
from aseanjapan.migrate import SCHEMA_HEAD, alembic_config, downgrade, schema_state, script_head, upgrade
from aseanjapan.settings import migrations_dir

from .dumps import canonical


def test_code_knows_the_newest_migration():
    assert SCHEMA_HEAD == script_head()


def test_alembic_check_finds_no_drift(engine):
    with engine.connect() as conn:
        command.check(alembic_config(conn))


def test_upgrading_an_empty_database_yields_the_seeded_knowledge_base(empty_db_url):
    engine = make_engine(empty_db_url)
    done = upgrade(engine)
    assert (done.before, done.after, done.seed_synced, done.reindexed) == (None, SCHEMA_HEAD, True, True)
    dump = canonical(engine)
    assert {"jasmine", "osa", "ajcep"} <= {r["slug"] for r in dump["initiatives"]}
    assert dump["statistics"] and dump["claims"] and dump["events"]
    engine.dispose()


def test_running_the_seed_again_changes_nothing(engine):
    before = canonical(engine)
    with write_connection(engine) as conn:
        report = sync_seed(conn)
    assert not report.changed, report.changes
    assert canonical(engine) == before


def test_down_to_base_and_up_again_restores_the_same_content(engine):
    before = canonical(engine)
    downgrade(engine, "base")
    with engine.connect() as conn:
        assert schema_state(conn).empty
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert canonical(engine) == before


def test_a_failed_upgrade_leaves_nothing_behind(empty_db_url, tmp_path, monkeypatch):
    broken = tmp_path / "seed"
    broken.mkdir()
    (broken / "bad.yaml").write_text("documents:\n  - slug: x\n    kind: op-ed\n")
    monkeypatch.setenv("AJ_SEED_DIR", str(broken))
    engine = make_engine(empty_db_url)
    with pytest.raises(ValidationError, match=r"bad.yaml:2: documents\[0\].title: required field missing"):
        upgrade(engine)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []
    engine.dispose()


def test_no_migration_imports_application_code():
    """Migrations are history: what one writes must not change when the application does."""
    offenders = []
    for path in sorted((migrations_dir() / "versions").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] == "aseanjapan"]
    assert offenders == []


def test_the_migrations_alone_write_the_same_schema_whatever_the_application_code_does(empty_db_url, monkeypatch):
    """Running every migration from empty never calls the loader, the search indexer or the
    display code: with all three broken, the schema still reaches head, with no rows yet."""
    import aseanjapan.display
    import aseanjapan.loading.seed
    import aseanjapan.search_index

    def broken(*_args, **_kwargs):
        raise AssertionError("a migration called application code")

    for module, name in ((aseanjapan.display, "format_value"), (aseanjapan.search_index, "compose"),
                         (aseanjapan.search_index, "rebuild"), (aseanjapan.loading.seed, "sync_seed")):
        monkeypatch.setattr(module, name, broken)
    engine = make_engine(empty_db_url)
    done = upgrade(engine, with_data=False)
    assert done.after == SCHEMA_HEAD and not done.seed_synced
    with engine.connect() as conn:
        state = schema_state(conn)
        assert (state.revision, state.seed_digest, state.search_index_version) == (SCHEMA_HEAD, None, None)
        assert conn.exec_driver_sql("SELECT count(*) FROM search_entries").scalar_one() == 0
    engine.dispose()


def test_an_index_version_change_recomputes_every_search_entry_at_the_next_upgrade(engine, monkeypatch):
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE search_entries SET body = 'stale', title = 'stale'")
    import aseanjapan.search_index

    monkeypatch.setattr(aseanjapan.search_index, "SEARCH_INDEX_VERSION", "test-next")
    done = upgrade(engine)
    assert done.reindexed and not done.seed_synced
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM search_entries WHERE title = 'stale'").scalar_one() == 0
        assert schema_state(conn).search_index_version == "test-next"
    assert not upgrade(engine).reindexed  # and only once
