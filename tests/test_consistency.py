"""One meaning per option across commands, either number for record types, suggestions for
every unknown value, and errors instead of empty answers to impossible questions."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from aseanjapan.install import Installation, install_command

from .clitools import aj


@pytest.mark.parametrize(("singular", "plural"), [("initiative", "initiatives"), ("statistic", "statistics"),
                                                  ("area", "areas"), ("Claim", "CLAIMS")])
def test_query_and_show_take_either_number(db_url, singular, plural):
    rows = aj("query", singular, "--format", "json")
    assert rows.exit_code == 0, rows.stderr
    assert rows.json() == aj("query", plural, "--format", "json").json()
    slug = rows.json()[0]["slug"]
    for kind in (singular, plural):
        card = aj("show", kind, slug, "--format", "json")
        assert card.exit_code == 0 and card.json()["slug"] == slug, card.stderr


def test_an_unknown_type_suggests_the_closest(db_url):
    run = aj("query", "initiativs")
    assert run.exit_code == 2 and run.error_lines[0].startswith(
        "aj: error: TYPE: 'initiativs' is not a record type (closest: initiatives); choose one of: documents, actors")
    run = aj("search", "japan", "--type", "statistcs")
    assert run.exit_code == 2 and "(closest: statistic)" in run.error_lines[0]


@pytest.mark.parametrize(("args", "closest"), [
    (("query", "initiatives", "--area", "maritme"), "maritime-security"),
    (("query", "initiatives", "--kind", "fundd"), "fund"),
    (("query", "initiatives", "--status", "activ"), "active"),
    (("query", "statistics", "--unit", "percnt"), "percent"),
    (("query", "initiatives", "--sort", "nam"), "name"),
    (("timeline", "--kind", "sumit"), "summit"),
    (("conflicts", "--kind", "naminng"), "naming"),
    (("review", "list", "--type", "statistc"), "statistic"),
    (("compare", "--metric", "confidense-do-right-thing"), "confidence-do-right-thing"),
    (("query", "areas", "--format", "jsn"), "json"),
])
def test_every_unknown_value_suggests_the_closest(db_url, args, closest):
    run = aj(*args)
    assert run.exit_code in (1, 2) and len(run.error_lines) == 1, run.stderr
    assert f"(closest: {closest}" in run.error_lines[0]


def test_type_and_kind_mean_one_thing_and_old_spellings_still_work(db_url):
    by_type = aj("search", "maritime", "--type", "claim", "--format", "json")
    old = aj("search", "maritime", "--kind", "claim", "--format", "json")
    assert by_type.json() == old.json() and {h["kind"] for h in by_type.json()} == {"claim"}
    assert "--kind is now --type" in old.stderr and "--kind" not in by_type.stderr
    # --kind is a record's own kind: an initiative's, a claim's, an event's
    assert {r["kind"] for r in aj("query", "initiatives", "--kind", "fund", "--format", "json").json()} <= {"fund"}
    assert {r["kind"] for r in aj("timeline", "--kind", "summit", "--format", "json").json()} == {"summit"}
    for command in (("review", "list"), ("review", "walk")):
        run = aj(*command, "--kind", "statistic", "--format", "json") if command[1] == "list" else \
            aj(*command, "--kind", "statistic")
        assert run.exit_code == 0 and "--kind is now --type" in run.stderr, run.stderr
    run = aj("review", "reject", "--all", "--of-kind", "entity")
    assert run.exit_code == 0 and "--of-kind is now --type" in run.stderr


def test_since_after_until_is_an_error_not_an_empty_answer(db_url):
    for args in (("query", "events"), ("query", "statistics"), ("timeline",)):
        run = aj(*args, "--since", "2024", "--until", "2023")
        assert run.exit_code == 2 and run.stdout == ""
        assert run.error_lines == ["aj: error: --since 2024 is after --until 2023: nothing can fall between them (swap them?)"]
    # A coarse --until covers its whole period: these overlap.
    assert aj("query", "events", "--since", "2023-09", "--until", "2023", "--format", "json").json()


def test_postgres_urls_work_as_postgresql_urls(db_url):
    url = make_url(db_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL behaviour")
    short = url.set(drivername="postgres").render_as_string(hide_password=False)
    run = aj("--db", short, "query", "initiatives", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.json() == aj("query", "initiatives", "--format", "json").json()


def test_db_path_prints_what_other_tools_open(db_url):
    printed = aj("db", "path").stdout.strip()
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        import sqlite3

        with sqlite3.connect(printed) as conn:  # as datasette or sqlite3 would open it
            assert conn.execute("SELECT count(*) FROM initiatives").fetchone()[0] > 0
    else:
        assert printed.startswith("postgresql") and (url.password is None or url.password not in printed)


@pytest.mark.parametrize(("installed", "command"), [
    (Installation("index"), "install 'aseanjapan[postgres]'"),
    (Installation("editable", "/src/aj"), "install -e '/src/aj[postgres]'"),
    (Installation("path", "/src/aj"), "install '/src/aj[postgres]'"),
    (Installation("pipx"), "pipx inject aseanjapan 'psycopg[binary]"),
])
def test_the_missing_driver_hint_fits_how_aj_was_installed(installed, command):
    assert command in install_command("postgres", installed)


def test_a_missing_driver_is_one_line_naming_the_install_command(monkeypatch, tmp_path):
    import builtins

    real_import = builtins.__import__

    def no_psycopg(name, *args, **kwargs):  # noqa: ANN001, ANN202
        if name == "psycopg" or name.startswith("psycopg."):
            raise ModuleNotFoundError(f"No module named {name!r}", name="psycopg")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_psycopg)
    run = aj("--db", "postgresql://nobody@127.0.0.1:1/none", "query", "initiatives")
    assert run.exit_code == 1 and len(run.error_lines) == 1
    assert "PostgreSQL needs the psycopg driver" in run.error_lines[0]
    assert install_command("postgres") in run.error_lines[0]
