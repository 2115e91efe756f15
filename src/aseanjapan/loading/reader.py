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
from ..files import display as shown_path
from .bundle import MAX_INTEGER, RECORD_SECTIONS, Bundle
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
    # Whether the bundle is known to be whole: true for data built in memory, and for a file
    # only when it ends with a valid end marker (see `check_seal`). A load removes what a
    # bundle no longer lists only when every bundle in it is whole.
    complete: bool = True

    def counts(self) -> dict[str, int]:
        """Records per section, as the end marker gives them."""
        return {section: len(getattr(self.bundle, section)) for section in RECORD_SECTIONS if getattr(self.bundle, section)}

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
    if kind == "less_than_equal" and error["ctx"].get("le") == MAX_INTEGER:
        return f"{error['input']} is too large (at most {MAX_INTEGER:,}, what both databases store)"
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
    """A bundle file's text parsed, validated and checked for its end marker (`check_seal`)."""
    node = None
    try:
        if as_json:
            data = json_loads(text)
        else:
            data, node = parse_yaml(text)
    except YamlProblem as exc:
        raise ValidationError([f"{name}:{exc.line}: {exc.message}" if exc.line else f"{name}: {exc.message}"]) from None
    except DuplicateKey as exc:
        line = _duplicate_line(_json_node(text), exc.key)
        raise ValidationError([f"{name}:{line}: duplicate key {exc.key!r}" if line else
                               f"{name}: duplicate key {exc.key!r}"]) from None
    except json.JSONDecodeError as exc:
        raise ValidationError([f"{name}:{exc.lineno}: malformed JSON: {exc.msg}"]) from None
    except RecursionError:
        raise ValidationError([f"{name}: malformed JSON: nested too deeply"]) from None
    if data is None:
        raise ValidationError([f"{name}: empty bundle (expected a mapping of sections such as 'documents:')"])
    if not isinstance(data, dict):
        raise ValidationError([f"{name}:1: a bundle is a mapping of sections, not a {type(data).__name__}"])
    last_line = text.rstrip().count("\n") + 1
    if data.get("aj_bundle_sealed") is True and "aj_bundle_end" not in data:  # before any other problem
        raise ValidationError([_cut_short(name, last_line)])
    parsed = validate_data(data, name, node, json_text=(reread or (lambda: text)) if as_json else None, raw_text=text)
    parsed.complete = check_seal(parsed, list(data), last_line)
    return parsed


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        self.key = key
        super().__init__(key)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json's object_pairs_hook: a key given twice in one object is refused (json keeps the
    last one silently: a second "documents" list would replace the first)."""
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return obj


def json_loads(text: str | bytes) -> Any:
    return json.loads(text, object_pairs_hook=_no_duplicates)


def _duplicate_line(node: yaml.Node | None, key: str) -> int | None:
    """The line of the first repeated `key` in a document's mappings (JSON read as YAML)."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.MappingNode):
            seen = set()
            for key_node, value in current.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == key and key in seen:
                    return key_node.start_mark.line + 1
                if isinstance(key_node, yaml.ScalarNode):
                    seen.add(key_node.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


# Text no database stores alike: NUL (PostgreSQL refuses it, SQLite keeps it) and lone
# surrogates (not characters: neither can encode them). In a file they can only come from
# escapes, which this finds cheaply before any value is looked at.
_UNSTORABLE_ESCAPE = re.compile(r"\\(?:0|x00|u0000|U00000000|u[dD][89a-fA-F]|U0000[dD][89a-fA-F])")
_SURROGATE = re.compile("[\ud800-\udfff]")


def unstorable(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(location, problem) for each text value that could not be stored on both backends."""
    if isinstance(value, str):
        if "\x00" in value:
            yield path, "contains a NUL character (\\u0000), which PostgreSQL cannot store: remove it"
        elif surrogate := _SURROGATE.search(value):
            yield path, (f"contains a lone surrogate (\\u{ord(surrogate.group(0)):04x}), which is not a character: "
                         "the text was not valid Unicode")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from unstorable(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from unstorable(item, (*path, i))


def validate_data(data: dict[str, Any], name: str, node: yaml.Node | None = None,
                  json_text: Callable[[], str] | None = None, raw_text: str | None = None) -> ParsedBundle:
    """A bundle from already-parsed data; every problem located by `name` (and line, with a
    node or a JSON text). `raw_text`, the text the data was parsed from, lets the search for
    unstorable text be skipped when it has no escapes that could make some."""
    located = ParsedBundle(name, Bundle(), node, json_text)
    if raw_text is None or _UNSTORABLE_ESCAPE.search(raw_text):
        problems = [f"{located.where(*loc)}: {message}" for loc, message in unstorable(data)]
        if problems:
            raise ValidationError(problems)
    try:
        bundle = Bundle.model_validate(data)
    except PydanticError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = _loc_without_unions(error["loc"])
            if error["type"] == "extra_forbidden":  # the unknown key itself, whatever it holds ("-", "my-field")
                loc = _loc_without_unions(error["loc"][:-1]) + tuple(error["loc"][-1:])
            hint = _closest_field(loc) if error["type"] == "extra_forbidden" else ""
            problems.append(f"{located.where(*loc)}: {_message(error)}{hint}")
        raise ValidationError(problems) from None
    return ParsedBundle(name, bundle, located.node, located.json_text)


# ---- the end marker ---------------------------------------------------------------------------
# `aj export` writes `aj_bundle_sealed: true` at the top of a bundle and `aj_bundle_end`, the
# number of records in each section, as its very last entry. A file that says it is sealed
# but lacks the end marker was cut short, and is refused; a file with the end marker and the
# counts it gives is whole, and may remove what it no longer lists; a file with neither (one
# written by hand) only adds and updates.

def check_seal(parsed: ParsedBundle, keys: list[str], last_line: int) -> bool:
    """Whether the bundle proves it is whole; raises ValidationError when it says it is
    sealed but is not (cut short, or its records do not match the counts)."""
    bundle = parsed.bundle
    if bundle.aj_bundle_end is None:
        if bundle.aj_bundle_sealed:
            raise ValidationError([_cut_short(parsed.name, last_line)])
        return False
    where = parsed.where("aj_bundle_end")
    if keys[-1] != "aj_bundle_end":
        raise ValidationError([f"{where}: the end marker must be the bundle's last entry"])
    check_counts(where, bundle.aj_bundle_end, parsed.counts())
    return True


def _cut_short(name: str, line: int | None) -> str:
    return (f"{name}:{line}: " if line else f"{name}: ") + ("the bundle ends before its end marker (aj_bundle_end, "
                                                           "written last by aj export): the file was cut short; "
                                                           "nothing was loaded")


def check_counts(where: str, declared: dict[str, int], found: dict[str, int]) -> None:
    for section in declared:
        if section not in RECORD_SECTIONS:
            raise ValidationError([f"{where}: unknown section {section!r} in the end marker"])
    for section in sorted(set(declared) | set(found), key=lambda s: RECORD_SECTIONS.index(s)):
        said, held = declared.get(section, 0), found.get(section, 0)
        if said != held:
            raise ValidationError([f"{where}: the end marker counts {said} {section}, the file holds {held}: it is "
                                   "incomplete or was edited (correct the count, or remove aj_bundle_end: the load "
                                   "then only adds and updates)"])


def read_bundle_file(path: Path, display: str | None = None) -> ParsedBundle:
    name = display or str(path)
    if path.suffix.lower() not in BUNDLE_SUFFIXES:
        raise ValidationError([f"{name}: unsupported bundle file type {path.suffix or '(none)'!r}; use .yaml, .yml, .json or .jsonl"])
    from ..files import read_regular

    try:
        raw = read_regular(path, MAX_BUNDLE_BYTES)
    except ValidationError as exc:  # said with the name the caller shows
        raise ValidationError([exc.problems[0].replace(shown_path(path), name, 1)]) from None
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
    """Validated chunks of a JSON Lines bundle: one `{"<section>": record}` object per line,
    each line valid JSON with no key given twice.

    Records must come after the records they refer to, and claims' relations to other claims
    go in `claim_relations` lines after the claims (the export writes them so). An end marker
    line (`{"aj_bundle_end": {...}}`) must be the last, and its counts are checked before
    the last chunk is given (a failure then undoes the chunks loaded before it)."""
    from ..files import open_regular

    name = display or str(path)
    records: dict[str, list[bytes]] = defaultdict(list)
    lines: dict[tuple[str, int], int] = {}
    totals: dict[str, int] = defaultdict(int)
    count, last, sealed, end = 0, 0, False, None
    try:
        stream = open_regular(path)
    except ValidationError as exc:
        raise ValidationError([exc.problems[0].replace(shown_path(path), name, 1)]) from None
    with stream:
        for number, raw in enumerate(stream, start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            if end is not None:
                raise ValidationError([f"{name}:{number}: nothing may follow the end marker (aj_bundle_end, line {end[1]})"])
            last = number
            section, record, body = _jsonl_record(name, number, raw)
            if section == "aj_bundle":
                continue
            if section == "aj_bundle_sealed":
                sealed = record is True
                continue
            if section == "aj_bundle_end":
                end = (record, number)
                continue
            if section not in RECORD_SECTIONS:
                raise ValidationError([f"{name}:{number}: unknown section {section!r}"])
            lines[(section, len(records[section]))] = number
            records[section].append(body)
            totals[section] += 1
            count += 1
            if count >= chunk and section in SPLITTABLE:
                yield _validate_chunk(name, dict(records), lines)
                records, lines, count = defaultdict(list), {}, 0
    if end is not None:
        declared, line = end
        if not isinstance(declared, dict) or not all(isinstance(v, int) and v >= 0 for v in declared.values()):
            raise ValidationError([f"{name}:{line}: aj_bundle_end: the end marker gives each section's count of records"])
        check_counts(f"{name}:{line}: aj_bundle_end", declared, dict(totals))
    elif sealed:
        raise ValidationError([_cut_short(name, last)])
    if count or not lines:
        yield _validate_chunk(name, dict(records), lines)


def _jsonl_record(name: str, number: int, raw: bytes) -> tuple[str, Any, bytes]:
    """(section, record, the record's JSON) of one line; any problem located at the line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError([f"{name}:{number}: not UTF-8 text (byte 0x{raw[exc.start]:02x})"]) from None
    try:
        obj = json_loads(text)
    except DuplicateKey as exc:
        raise ValidationError([f"{name}:{number}: duplicate key {exc.key!r}"]) from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ValidationError([f"{name}:{number}: malformed JSON: {getattr(exc, 'msg', 'nested too deeply')}"]) from None
    if not isinstance(obj, dict) or len(obj) != 1:
        raise ValidationError([f"{name}:{number}: each line holds one object with one key, the section"])
    (section, record), = obj.items()
    if _UNSTORABLE_ESCAPE.search(text):
        for loc, message in unstorable(record, (section,)):
            raise ValidationError([f"{name}:{number}: {dotted(loc)}: {message}"])
    match = _JSONL_LINE.match(raw)  # the record's own bytes, for pydantic to read (fast)
    return section, record, match.group(2) if match else json.dumps(record).encode()


def jsonl_sealed(path: Path, display: str | None = None) -> bool:
    """Whether a JSON Lines bundle ends with an end marker (its counts are checked while it
    is read), looking at its last line only; one that says it is sealed but has no end
    marker is refused before anything is loaded."""
    from ..files import open_regular

    name = display or str(path)
    with open_regular(path) as stream:
        head = stream.read(4096)
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(max(0, size - 65536))
        tail = stream.read()
    last = next((line for line in reversed(tail.splitlines()) if line.strip()), b"")
    if re.match(rb'\s*\{\s*"aj_bundle_end"\s*:', last):
        return True
    if re.search(rb'^\s*\{\s*"aj_bundle_sealed"\s*:\s*true\s*\}\s*$', head, re.M):
        raise ValidationError([_cut_short(name, None)])
    return False


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
