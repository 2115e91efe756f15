"""`aj export --format datapackage`: the CSV tables with a Frictionless Data Package
descriptor (datapackage.json), so tools that read data packages (frictionless, Open Data
portals, R's and Python's readers) get field types, primary and foreign keys by slug,
descriptions, and each source document as a source.

The CSV files are exactly those of `aj export --format csv`; the descriptor is built from
the schema in tables.py, so it follows the schema as it changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Float, Integer, Table, select

from . import tables as schema
from .export import CITED_TABLES, SKIPPED_TABLES, export_tables

DESCRIPTOR = "datapackage.json"

TABLE_DESCRIPTIONS = {
    "actors": "Countries, organisations, forums, institutes, companies, media and people.",
    "actor_affiliations": "A person's post at an organisation, or an organisation's parent body.",
    "documents": "Sources: the articles and reports records are cited from, and the surveys figures come from.",
    "document_authors": "Who wrote each document, in order.",
    "metrics": "What a statistic measures, so figures from different sources line up.",
    "policy_areas": "The policy-area vocabulary, a tree (parent).",
    "names": "Other names of actors and initiatives (acronyms, expansions, aliases), with the document using each.",
    "initiatives": "Agreements, frameworks, programmes, funds, exercises and partnerships.",
    "initiative_areas": "The policy areas of each initiative.",
    "initiative_participants": "Who takes part in each initiative, and in what role.",
    "claims": "Arguments, assessments, recommendations and forecasts made in the sources.",
    "claim_holders": "Who holds each claim.",
    "claim_actors": "Actors each claim is about.",
    "claim_initiatives": "Initiatives each claim is about.",
    "claim_areas": "The policy areas of each claim.",
    "claim_relations": "One claim supporting, contradicting or qualifying another.",
    "statistics": "Figures: value and unit, what is measured (metric), of whom (subject), among whom, when, "
                  "and the document the figure comes from (origin).",
    "statistic_areas": "The policy areas of each statistic.",
    "events": "Dated happenings, at the precision their sources give.",
    "event_actors": "Actors involved in each event.",
    "event_initiatives": "Initiatives each event belongs to.",
    "event_areas": "The policy areas of each event.",
    "citations": "One document reporting one record (a claim, statistic, event, initiative or actor), "
                 "with the paragraph, the character span in a stored text, and the wording as reported.",
    "candidates": "Figures, dates and names proposed from added sources, with the reviewer's decision.",
    "conflict_reviews": "Disagreements between sources that someone has reviewed, by their stable key.",
    "document_defaults": "What review decisions on a document's passages take unless they say otherwise: the "
                         "origin document, subject, period and population of its figures.",
    "document_default_areas": "The policy areas review decisions on a document's passages take by default.",
}

FIELD_DESCRIPTIONS = {
    "slug": "The record's stable identifier, used by every other table and by the aj command line.",
    "cited_by": "The documents citing this record, as 'document ¶paragraph', '; '-separated.",
    "kind": "The record's kind, from aj's vocabulary (see `aj load --help` and data/seed/README.md).",
    "precision": "How precise the date is: day, month, year, decade or unknown (a month date is stored as its first day).",
    "paragraph": "The paragraph of the document (1-based: the N-th non-blank line of its text).",
    "char_start": "Start of the cited span in the document's stored text (a character offset).",
    "char_end": "End of the cited span in the document's stored text (exclusive).",
    "reported_as": "The wording or figure exactly as the document gives it.",
    "value": "The figure in full units (22.5 billion is 22500000000).",
    "approximation": "exact, about, nearly, over, under, at-least or up-to, as the source qualifies the figure.",
}


def _field_type(table: Table, name: str) -> dict[str, Any]:
    column = table.c.get(name) if name in table.c else table.c.get(f"{name}_id")
    if column is None or column.foreign_keys:
        return {"type": "string"}  # cited_by, and references written as the referenced slug
    if isinstance(column.type, Integer):
        return {"type": "integer"}
    if isinstance(column.type, Float):
        return {"type": "number"}
    if isinstance(column.type, DateTime):
        return {"type": "datetime", "format": "%Y-%m-%d %H:%M:%S"}
    if isinstance(column.type, Date):
        return {"type": "date"}
    return {"type": "string"}


def _exported_names(table: Table) -> list[str]:
    """The columns of the CSV export, in order (ids out, references by slug, cited_by last)."""
    names = []
    for column in table.columns:
        if column.name == "id" and column.primary_key:
            continue
        fks = list(column.foreign_keys)
        names.append(column.name.removesuffix("_id") if fks and "slug" in fks[0].column.table.c else column.name)
    return names + (["cited_by"] if table.name in CITED_TABLES else [])


def _resource(table: Table) -> dict[str, Any]:
    fields = []
    for name in _exported_names(table):
        field = {"name": name, **_field_type(table, name)}
        description = FIELD_DESCRIPTIONS.get(name) or (FIELD_DESCRIPTIONS["precision"] if name.endswith("_precision") else None)
        if description:
            field["description"] = description
        fields.append(field)
    table_schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if "slug" in table.c:
        table_schema["primaryKey"] = ["slug"]
    elif not any(c.name == "id" for c in table.primary_key.columns):
        table_schema["primaryKey"] = [c.name.removesuffix("_id") if c.foreign_keys else c.name
                                      for c in table.primary_key.columns]
    foreign_keys = []
    for column in table.columns:
        for fk in column.foreign_keys:
            target = fk.column.table
            if "slug" in target.c:
                foreign_keys.append({"fields": [column.name.removesuffix("_id")],
                                     "reference": {"resource": "" if target is table else target.name,
                                                   "fields": ["slug"]}})
    if foreign_keys:
        table_schema["foreignKeys"] = foreign_keys
    return {"name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "description": TABLE_DESCRIPTIONS.get(table.name, ""), "schema": table_schema}


def descriptor(conn: Connection) -> dict[str, Any]:
    documents = schema.documents
    sources = []
    for title, url in conn.execute(select(documents.c.title, documents.c.url).order_by(documents.c.slug)):
        sources.append({"title": title, **({"path": url} if url else {})})
    resources = [_resource(table) for table in schema.metadata.sorted_tables if table.name not in SKIPPED_TABLES]
    return {
        "profile": "tabular-data-package",
        "name": "aseanjapan-knowledge-base",
        "title": "aj: a cited knowledge base of Japan-ASEAN relations",
        "description": "Actors, initiatives, claims, statistics and events about relations between Japan and the "
                       "ASEAN countries, each with the documents and paragraphs that report it (citations).",
        "sources": sources,
        "resources": sorted(resources, key=lambda r: r["name"]),
    }


def write_datapackage(conn: Connection, directory: Path, include_unreviewed: bool = False) -> dict[str, int]:
    """The CSV tables and datapackage.json in `directory`; returns rows written per table."""
    from .textnorm import json_text

    # Put in place with the tables, as one set (files.output_set).
    text = json_text(descriptor(conn), indent=2) + "\n"
    return export_tables(conn, directory, "csv", include_unreviewed, extra_files={DESCRIPTOR: text})
