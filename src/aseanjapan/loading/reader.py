"""Reading bundle files into validated `Bundle` objects, every problem located."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from ..errors import ValidationError
from .bundle import Bundle
from .yamlio import YamlProblem, line_of, parse_yaml

BUNDLE_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
# JSON Lines bundles are read a chunk of records at a time, so memory stays flat.
STREAMED_SUFFIXES = (".jsonl",)
CHUNK_RECORDS = 5000
# Only sections without references among their own records are split across chunks; the
# others (areas, actors, metrics, initiatives) are kept whole. Documents refer to actors
# only, so 100,000 of them need not be held in memory at once.
SPLITTABLE = {"documents", "claims", "statistics", "events", "candidates", "citations", "claim_relations",
              "reviewed_conflicts"}
MAX_BUNDLE_BYTES = 2 * 1024**3

_SHORT_MESSAGES = {
    "float_parsing": "not a number",
    "float_type": "not a number",
    "int_parsing": "not a whole number",
    "int_type": "not a whole number",
    "int_from_float": "not a whole number",
    "missing": "required field missing",
    "extra_forbidden": "unknown field",
    "string_type": "not text",
    "list_type": "not a list",
    "model_type": "not a mapping",
    "model_attributes_type": "not a mapping",
    "dict_type": "not a mapping",
    "string_too_short": "must not be empty",
    "finite_number": "must be a finite number",
}


def _too_long(error: dict[str, Any]) -> str:
    return f"too long ({len(str(error.get('input', '')))} characters; at most {error['ctx']['max_length']})"


@dataclass
class ParsedBundle:
    """A validated bundle and what is needed to point at its lines."""

    name: str
    bundle: Bundle
    node: yaml.Node | None = None
    # A JSON bundle's text, (re)read for line numbers only when a problem is shown: a large
    # bundle's text is not kept in memory while it loads.
    json_text: Callable[[], str] | None = None

    def where(self, *loc: Any) -> str:
        if self.node is None and self.json_text is not None:
            self.node, self.json_text = _json_node(self.json_text()), None
        line = line_of(self.node, loc) if self.node is not None else None
        place = f"{self.name}:{line}" if line else self.name
        return f"{place}: {dotted(loc)}" if loc else place


@dataclass
class LinedBundle(ParsedBundle):
    """A chunk of a JSON Lines bundle: each record knows the line it came from."""

    lines: dict[tuple[str, int], int] = field(default_factory=dict)

    def where(self, *loc: Any) -> str:
        if len(loc) >= 2 and (loc[0], loc[1]) in self.lines:
            rest = dotted((loc[0], *loc[2:]))
            return f"{self.name}:{self.lines[(loc[0], loc[1])]}: {rest}"
        return f"{self.name}: {dotted(loc)}" if loc else self.name


def _json_node(text: str) -> yaml.Node | None:
    """A JSON text's node tree, for line numbers: JSON is (nearly always) YAML too."""
    try:  # YAML refuses tabs, JSON allows them between tokens (never raw inside a string)
        return yaml.compose(text.replace("\t", " "), Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None


def dotted(loc: tuple[Any, ...] | list[Any]) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind in _SHORT_MESSAGES:
        return _SHORT_MESSAGES[kind]
    if kind == "string_too_long":
        return _too_long(error)
    if kind == "literal_error":
        return "must be one of: " + error["ctx"]["expected"].replace("'", "")
    if kind == "string_pattern_mismatch":
        from .bundle import DATE_PATTERN

        if error["ctx"].get("pattern") == DATE_PATTERN:
            return f"not a date: {str(error['input'])!r} (use YYYY-MM-DD, YYYY-MM, YYYY, YYY0s or unknown)"
        return "not a valid slug (lower-case letters, digits and single hyphens)" if "a-z0-9" in str(
            error["ctx"].get("pattern")
        ) else "badly formed"
    message = error["msg"]
    return message.removeprefix("Value error, ")


def _closest_field(loc: tuple[Any, ...]) -> str:
    """" (did you mean 'statistics'?)" for a mistyped field, found by following `loc` through
    the bundle's models to the one that has the unknown key."""
    import typing

    from pydantic import BaseModel

    model: Any = Bundle
    for step in loc[:-1]:
        if isinstance(step, int):
            continue
        field_info = model.model_fields.get(step) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field_info is None:
            return ""
        inner = [a for a in typing.get_args(field_info.annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        model = inner[0] if inner else field_info.annotation
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or not isinstance(loc[-1], str):
        return ""
    from ..spelling import closest

    close = closest(loc[-1], list(model.model_fields), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _loc_without_unions(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    # pydantic adds union member names ("int", "constrained-int") to locations.
    return tuple(step for step in loc if isinstance(step, int) or not ("-" in step or step in {"int", "str", "float", "none"}))


def parse_bundle_text(text: str, name: str, *, as_json: bool = False,
                      reread: Callable[[], str] | None = None) -> ParsedBundle:
    node = None
    try:
        if as_json:
            data = json.loads(text)
        else:
            data, node = parse_yaml(text)
    except YamlProblem as exc:
        raise ValidationError([f"{name}:{exc.line}: {exc.message}" if exc.line else f"{name}: {exc.message}"]) from None
    except json.JSONDecodeError as exc:
        raise ValidationError([f"{name}:{exc.lineno}: malformed JSON: {exc.msg}"]) from None
    except RecursionError:
        raise ValidationError([f"{name}: malformed JSON: nested too deeply"]) from None
    if data is None:
        raise ValidationError([f"{name}: empty bundle (expected a mapping of sections such as 'documents:')"])
    if not isinstance(data, dict):
        raise ValidationError([f"{name}:1: a bundle is a mapping of sections, not a {type(data).__name__}"])
    return validate_data(data, name, node, json_text=(reread or (lambda: text)) if as_json else None)


def validate_data(data: dict[str, Any], name: str, node: yaml.Node | None = None,
                  json_text: Callable[[], str] | None = None) -> ParsedBundle:
    """A bundle from already-parsed data; every problem located by `name` (and line, with a
    node or a JSON text)."""
    try:
        bundle = Bundle.model_validate(data)
    except PydanticError as exc:
        located = ParsedBundle(name, Bundle(), node, json_text)
        problems = []
        for error in exc.errors(include_url=False):
            loc = _loc_without_unions(error["loc"])
            hint = _closest_field(loc) if error["type"] == "extra_forbidden" else ""
            problems.append(f"{located.where(*loc)}: {_message(error)}{hint}")
        raise ValidationError(problems) from None
    return ParsedBundle(name, bundle, node, json_text)


def read_bundle_file(path: Path, display: str | None = None) -> ParsedBundle:
    name = display or str(path)
    if path.suffix.lower() not in BUNDLE_SUFFIXES:
        raise ValidationError([f"{name}: unsupported bundle file type {path.suffix or '(none)'!r}; use .yaml, .yml, .json or .jsonl"])
    try:
        size = path.stat().st_size
        if size > MAX_BUNDLE_BYTES:
            raise ValidationError([f"{name}: file too large ({size} bytes)"])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError([f"{name}: no such file"]) from None
    except IsADirectoryError:
        raise ValidationError([f"{name}: is a directory"]) from None
    except OSError as exc:
        raise ValidationError([f"{name}: cannot read ({exc.strerror})"]) from None
    return parse_bundle_bytes(raw, name, as_json=path.suffix.lower() == ".json",
                              reread=lambda: path.read_bytes().decode("utf-8-sig", errors="replace"))


def parse_bundle_bytes(raw: bytes, name: str, *, as_json: bool = False,
                       reread: Callable[[], str] | None = None) -> ParsedBundle:
    if b"\x00" in raw[:8192]:
        raise ValidationError([f"{name}: binary file, not a bundle"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError([f"{name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"]) from None
    if not text.strip():
        raise ValidationError([f"{name}: empty bundle (expected a mapping of sections such as 'documents:')"])
    return parse_bundle_text(text, name, as_json=as_json, reread=reread)


_JSONL_LINE = re.compile(rb'^\s*\{\s*"([A-Za-z_]+)"\s*:\s*(\{.*\})\s*\}\s*$', re.S)


@cache
def _section_adapter(section: str) -> TypeAdapter[Any]:
    return TypeAdapter(Bundle.model_fields[section].annotation)


def _validate_chunk(name: str, records: dict[str, list[bytes]], lines: dict[tuple[str, int], int]) -> LinedBundle:
    """Validate a chunk's records straight from their JSON text (parsed by pydantic-core)."""
    located = LinedBundle(name, Bundle(), None, lines=lines)
    sections, problems = {}, []
    for section, bodies in records.items():
        try:
            sections[section] = _section_adapter(section).validate_json(b"[" + b",".join(bodies) + b"]")
        except PydanticError as exc:
            for e in exc.errors(include_url=False):
                loc = _loc_without_unions(e["loc"])
                message = f"malformed JSON: {e['msg']}" if e["type"] == "json_invalid" else _message(e)
                problems.append(f"{located.where(section, *loc)}: {message}")
    if problems:
        raise ValidationError(problems)
    return LinedBundle(name, Bundle.model_construct(**sections), None, lines=lines)


def iter_jsonl_chunks(path: Path, display: str | None = None, chunk: int = CHUNK_RECORDS) -> Iterator[LinedBundle]:
    """Validated chunks of a JSON Lines bundle: one `{"<section>": record}` object per line.

    Records must come after the records they refer to, and claims' relations to other claims
    go in `claim_relations` lines after the claims (the export writes them so)."""
    from .bundle import SECTIONS

    name = display or str(path)
    sections = set(SECTIONS) | {"citations", "claim_relations", "reviewed_conflicts"}
    records: dict[str, list[bytes]] = defaultdict(list)
    lines: dict[tuple[str, int], int] = {}
    count = 0
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        raise ValidationError([f"{name}: no such file"]) from None
    with stream:
        for number, raw in enumerate(stream, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValidationError([f"{name}:{number}: not UTF-8 text (byte 0x{raw[exc.start]:02x})"]) from None
            match = _JSONL_LINE.match(raw)
            if match:
                section, body = match.group(1).decode(), match.group(2)
            else:  # not the plain shape: read it properly to say what is wrong, or take it
                try:
                    obj = json.loads(raw)
                except (json.JSONDecodeError, RecursionError) as exc:
                    raise ValidationError([f"{name}:{number}: malformed JSON: {getattr(exc, 'msg', 'nested too deeply')}"]) from None
                if not isinstance(obj, dict) or len(obj) != 1:
                    raise ValidationError([f"{name}:{number}: each line holds one object with one key, the section"])
                (section, record), = obj.items()
                body = json.dumps(record).encode()
            if section == "aj_bundle":
                continue
            if section not in sections:
                raise ValidationError([f"{name}:{number}: unknown section {section!r}"])
            lines[(section, len(records[section]))] = number
            records[section].append(body)
            count += 1
            if count >= chunk and section in SPLITTABLE:
                yield _validate_chunk(name, dict(records), lines)
                records, lines, count = defaultdict(list), {}, 0
    if count or not lines:
        yield _validate_chunk(name, dict(records), lines)


def bundle_paths(paths: list[Path]) -> list[Path]:
    """Files as given; directories expand to their bundle files, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in BUNDLE_SUFFIXES))
        else:
            found.append(path)
    return found


def read_bundles(paths: list[Path]) -> list[ParsedBundle]:
    """Every (non-streamed) file parsed; all problems of all files reported together."""
    parsed, problems = [], []
    for path in bundle_paths(paths):
        if path.suffix.lower() in STREAMED_SUFFIXES:
            continue
        try:
            parsed.append(read_bundle_file(path))
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    return parsed
