"""Per-document review defaults: the origin, subject, period, population and policy areas
that every decision on a document's passages takes unless it says otherwise (`aj review
defaults DOC ...`). A survey write-up gives them once instead of once per figure.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_defaults",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("origin_document_id", sa.Integer(), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(length=20), nullable=True),
        sa.Column("population", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_document_defaults_document_id_documents"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["origin_document_id"], ["documents.id"],
                                name=op.f("fk_document_defaults_origin_document_id_documents"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["subject_id"], ["actors.id"], name=op.f("fk_document_defaults_subject_id_actors"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_defaults")),
    )
    op.create_table(
        "document_default_areas",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                name=op.f("fk_document_default_areas_document_id_documents"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["area_id"], ["policy_areas.id"],
                                name=op.f("fk_document_default_areas_area_id_policy_areas"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "area_id", name=op.f("pk_document_default_areas")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # History (0017) captures every table's changes with one trigger function on PostgreSQL.
        for name in ("document_defaults", "document_default_areas"):
            op.execute(f'CREATE TRIGGER aj_history AFTER INSERT OR UPDATE OR DELETE ON "{name}" '
                       "FOR EACH ROW EXECUTE FUNCTION aj_history_capture()")


def downgrade() -> None:
    op.drop_table("document_default_areas")
    op.drop_table("document_defaults")
