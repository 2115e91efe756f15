"""Migrations: pytest-alembic's built-in checks, plus the seed migration's guarantees."""

from __future__ import annotations

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

from .dumps import canonical


def test_code_knows_the_newest_migration():
    assert SCHEMA_HEAD == script_head()


def test_alembic_check_finds_no_drift(engine):
    with engine.connect() as conn:
        command.check(alembic_config(conn))


def test_upgrading_an_empty_database_yields_the_seeded_knowledge_base(empty_db_url):
    engine = make_engine(empty_db_url)
    before, after, _ = upgrade(engine)
    assert (before, after) == (None, SCHEMA_HEAD)
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
