"""The command line as a user meets it: first run, formats, filters, errors."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import pytest

from .clitools import aj


def test_first_use_creates_the_default_database_and_lists_security_initiatives(tmp_path, monkeypatch):
    # No --db and no AJ_DATABASE_URL: the per-user SQLite file is created and migrated.
    monkeypatch.delenv("AJ_DATABASE_URL", raising=False)
    run = aj("query", "initiatives", "--area", "security", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert "Creating the knowledge base at" in run.stderr
    assert (tmp_path / "user-data" / "aj.sqlite").exists()
    by_slug = {row["slug"]: row for row in run.json()}
    assert {"jasmine", "osa"} <= set(by_slug)
    assert by_slug["jasmine"]["cited_by"] and by_slug["osa"]["cited_by"]
    # Sub-areas count: OSA is tagged defence and maritime-security, both under security.
    assert all(set(row["areas"]) & {"security", "defence", "maritime-security", "cybersecurity",
                                     "non-traditional-security", "peacekeeping"} for row in run.json())
    again = aj("query", "initiatives", "--area", "security", "--format", "json")
    assert "Creating" not in again.stderr and again.json() == run.json()


def test_table_csv_and_json_carry_the_same_records(db_url):
    as_json = aj("query", "initiatives", "--area", "security", "--format", "json").json()
    as_csv = list(csv.DictReader(io.StringIO(aj("query", "initiatives", "--area", "security", "--format", "csv").stdout)))
    table = aj("query", "initiatives", "--area", "security", "--format", "table")
    assert [r["slug"] for r in as_csv] == [r["slug"] for r in as_json]
    assert as_csv[0]["cited_by"] == "; ".join(as_json[0]["cited_by"])
    assert all(r["slug"][:12] in table.stdout for r in as_json)
    assert table.stderr.strip().endswith(f"{len(as_json)} initiatives")


def test_jsonl_and_output_file(db_url, tmp_path):
    out = tmp_path / "exports" / "osa.jsonl"
    run = aj("query", "initiatives", "--contains", "security assistance", "--output", str(out))
    assert run.exit_code == 0 and run.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and '"slug": "osa"' in lines[0]


def test_names_and_aliases_work_where_slugs_do(db_url):
    by_slug = aj("query", "claims", "--initiative", "osa", "--format", "json").json()
    by_name = aj("query", "claims", "--initiative", "Official Security Assistance", "--format", "json").json()
    by_acronym = aj("query", "claims", "--initiative", "OSA", "--format", "json").json()
    by_other_expansion = aj("query", "claims", "--initiative", "Overseas Security Assistance", "--format", "json").json()
    assert by_slug and by_slug == by_name == by_acronym == by_other_expansion


def test_unknown_names_suggest_the_closest(db_url):
    run = aj("query", "initiatives", "--actor", "japn")
    assert run.exit_code == 1 and run.stdout == ""
    assert run.error_lines == ["aj: error: no actor 'japn' (closest: japan)"]


def test_usage_errors_exit_2_with_one_line(db_url):
    run = aj("query", "initiatives", "--sort", "'; DROP TABLE initiatives; --")
    assert run.exit_code == 2
    assert len(run.error_lines) == 1 and "cannot sort by" in run.error_lines[0]
    assert aj("query", "initiatives", "--format", "json").json()  # the table is still there
    assert aj("query", "claims", "--status", "active").exit_code == 2
    assert aj("query", "events", "--since", "last week").error_lines == [
        "aj: error: --since: not a date: 'last week' (use YYYY, YYYY-MM or YYYY-MM-DD)"
    ]


def test_hostile_filter_values_are_data_not_sql(db_url):
    for value in ["%", "_", "' OR 1=1 --", '"', "\\", "osa%'; DELETE FROM initiatives; --"]:
        run = aj("query", "initiatives", "--contains", value, "--format", "json")
        assert run.exit_code == 0, (value, run.stderr)
        assert run.json() == [] or value in ("%", "_", '"')
    assert len(aj("query", "initiatives", "--format", "json").json()) > 20


def test_db_commands(db_url):
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    # A plain file path for SQLite (datasette "$(aj db path)"); a URL without its password otherwise.
    expected = url.database if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)
    assert aj("db", "path").stdout.strip() == expected
    assert aj("db", "current").stdout.startswith("0")
    assert "already up to date" in aj("db", "upgrade").stderr


@pytest.mark.postgres
def test_postgresql_is_never_migrated_implicitly(empty_db_url):
    if not empty_db_url.startswith("postgresql"):
        pytest.skip("PostgreSQL behaviour")
    run = aj("query", "initiatives")
    assert run.exit_code == 1
    assert run.error_lines == ["aj: error: the database has no knowledge base yet: run `aj db upgrade` to create it"]
    assert aj("db", "upgrade").exit_code == 0
    assert aj("query", "initiatives", "--format", "json").json()


def test_version_and_help():
    assert aj("--version").stdout.startswith("aj ")
    help_text = aj("query", "--help").stdout
    assert "--area" in help_text and "aj query statistics --subject japan" in help_text


def test_the_installed_command_runs_as_a_process(db_url):
    env = {**os.environ, "AJ_DATABASE_URL": db_url}
    done = subprocess.run([sys.executable, "-m", "aseanjapan", "query", "initiatives", "--area", "security",
                           "--format", "csv"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("slug,name,acronym")


def test_cli_module_import_stays_light():
    code = "import sys, aseanjapan.cli.app; print(sorted(m for m in ('sqlalchemy', 'alembic', 'yaml') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("env", [{}, {"_AJ_COMPLETE": "complete_bash", "COMP_WORDS": "aj qu", "COMP_CWORD": "1"}],
                         ids=["help", "completion"])
def test_help_and_completion_do_not_import_the_database_layer(env):
    code = ("import sys, runpy; sys.argv = ['aj'] + (['--help'] if len(sys.argv) < 2 else []);\n"
            "try:\n    runpy.run_module('aseanjapan', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in ('sqlalchemy', 'alembic', 'pydantic') if m in sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}, check=False)
    assert "LOADED []" in done.stderr, done.stderr[-500:]
    if env:
        assert "query" in done.stdout
    else:
        assert "Usage: aj" in done.stdout


def test_listing_and_searching_do_not_load_the_orm(db_url):
    """The commands run most stay quick to start: no ORM, no pydantic, no Alembic."""
    for args in (["query", "initiatives", "--area", "security", "--format", "csv"], ["search", "maritime", "--format", "csv"]):
        code = ("import sys, runpy; sys.argv = ['aj'] + sys.argv[1:]\n"
                "try:\n    runpy.run_module('aseanjapan', run_name='__main__')\nexcept SystemExit:\n    pass\n"
                "print('LOADED', sorted(m for m in ('sqlalchemy.orm', 'alembic', 'pydantic', 'aseanjapan.models') "
                "if m in sys.modules), file=sys.stderr)")
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                              env={**os.environ, "AJ_DATABASE_URL": db_url}, check=False)
        assert "LOADED []" in done.stderr, (args, done.stderr[-400:])
        assert done.stdout.count("\n") > 2


@pytest.mark.parametrize("args", [("compare",), ("query", "statistics", "--limit", "-1"), ("show", "initiative"),
                                  ("timeline", "--format", "xml"), ("load",), ("nosuch",)], ids=" ".join)
def test_parser_errors_are_one_line_too(db_url, args):
    run = aj(*args)
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and len(run.error_lines) == 1, run.stderr
    assert run.error_lines[0].endswith("--help')")


def test_a_group_alone_shows_its_help(db_url):
    run = aj("review")
    assert run.exit_code == 2 and "Usage: aj review" in run.stderr + run.stdout and not run.error_lines


def test_a_database_path_in_a_missing_folder_is_refused_not_created(tmp_path):
    target = tmp_path / "no-such-folder" / "kb.sqlite"
    run = aj("--db", str(target), "query", "actors")
    assert run.exit_code == 1 and run.error_lines == [
        f"aj: error: no folder '{target.parent}' for the database file 'kb.sqlite': check the path, or create the folder first"]
    assert not target.parent.exists()
