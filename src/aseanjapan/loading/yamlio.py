"""A strict YAML reader that keeps line numbers.

PyYAML on its own keeps the last of duplicate keys, turns `NO` and `yes` into
booleans and bare dates into `date` objects. This reader rejects duplicate keys,
recognises only `true`/`false` as booleans, leaves dates as text for the bundle
model to parse, and refuses tags that build Python objects (safe loading).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_BOOL_TAG = "tag:yaml.org,2002:bool"
_DROPPED_TAGS = {_BOOL_TAG, "tag:yaml.org,2002:timestamp"}


class YamlProblem(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


class StrictLoader(_Base):  # type: ignore[misc, valid-type]
    def construct_mapping(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    hashable = key in seen
                except TypeError:
                    raise YamlProblem(line, "a mapping key must be a plain value") from None
                if hashable:
                    raise YamlProblem(line, f"duplicate key {key!r} (first given on line {seen[key]})")
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _refuse_aliases(root: yaml.Node | None) -> None:
    """Bundles have no use for anchors and aliases, and aliases are how YAML bombs (a few
    lines that expand to billions of items, or cycles) are built: refuse them."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise YamlProblem(node.start_mark.line + 1, "anchors and aliases (&name, *name) are not allowed in bundles")
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


MAX_DEPTH = 1000
_DEEP_INDENT = re.compile(r"^[ \t]{%d}" % (MAX_DEPTH * 2), re.MULTILINE)
_BRACKETS = re.compile(r"[\[\]{}]")


def _refuse_deep_nesting(text: str) -> None:
    """libyaml composes recursively in C and crashes the interpreter on nesting some tens of
    thousands deep; refuse anything deeper than MAX_DEPTH before it gets there."""
    if _DEEP_INDENT.search(text):
        raise YamlProblem(None, f"malformed YAML: nested more than {MAX_DEPTH} levels deep")
    if text.count("[") + text.count("{") < MAX_DEPTH:
        return
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group(0) in "[{" else -1
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            raise YamlProblem(line, f"malformed YAML: nested more than {MAX_DEPTH} levels deep")


def parse_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The document's data and its node tree (for line numbers); raises YamlProblem."""
    _refuse_deep_nesting(text)
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        _refuse_aliases(node)
        data = loader.construct_document(node) if node is not None else None
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise YamlProblem(line, f"malformed YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"malformed YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem(None, "malformed YAML: nested too deeply") from None
    finally:
        loader.dispose()
    return data, node


def line_of(node: yaml.Node | None, path: tuple[Any, ...]) -> int | None:
    """The line of the deepest node along `path` (mapping keys and list indexes)."""
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                    node = value_node
                    line = key_node.start_mark.line + 1
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line
