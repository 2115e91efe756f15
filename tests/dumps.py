"""A canonical, id-free view of a whole database, to compare two databases or two moments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from aseanjapan.kinds import RECORDS
from aseanjapan.queries import Filters, run


def canonical(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with Session(engine) as session:
        return {kind: sorted(run(session, kind, Filters()), key=lambda r: r["slug"]) for kind in (k.plural for k in RECORDS)}
