"""The YAML parser behind yamlsource.load_yaml_text: PyYAML's safe loader, keeping lines.

Apart from yamlsource so PyYAML (and the slips' patterns) load only when a file
is parsed: a build whose settings come from the cache never imports them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .diagnostics import BriefingError, Diagnostic
from .yamlslips import explain_error, slip_at_error, slips_in_valid_yaml
from .yamlsource import MAX_EXPANDED_NODES, MAX_NESTING, XML_INVALID, LinedDict, LinedList, char_name, quote


class _Loader(yaml.SafeLoader):
    """Safe loader that keeps dates as text (we parse them with clear errors),
    records the line of every mapping key and list entry, and collects the
    problems YAML itself lets through: duplicate keys, characters Word cannot hold."""

    line_offset = 0

    def __init__(self, text: str, path: Path, line_offset: int) -> None:
        super().__init__(text)
        self.path, self.line_offset = path, line_offset
        self.depth = 0
        self.problems: list[Diagnostic] = []

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset

    def compose_node(self, parent, index):
        # The composer recurses once per level: stop before Python's stack does.
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, f"嵌套超过 {MAX_NESTING} 层", mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


# Drop the timestamp resolver: `2023-02-30` must reach us as text, not crash YAML.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LinedDict:
    result = LinedDict()
    result.line = loader.line_of(node)
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key = str(key) if key is not None else ""
        line = loader.line_of(key_node)
        if key in result.key_lines:
            # YAML would keep the last one silently: a second `items:` drops the first list.
            loader.problems.append(Diagnostic(
                loader.path, line, f"键“{quote(key)}”重复（第 {result.key_lines[key]} 行已有）",
                hint="同一个键只能写一次，请合并或删去其中一个"))
            continue
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LinedList:
    result = LinedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = loader.line_of(node)
    result.item_lines = [loader.line_of(child) for child in node.value]
    return result


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    """Every string, once YAML has decoded escapes such as "\\v" or "\\ud800"."""
    value = loader.construct_scalar(node)
    bad = XML_INVALID.search(value)
    if bad:
        loader.problems.append(Diagnostic(
            loader.path, loader.line_of(node), f"含有 Word 无法保存的字符 {char_name(bad.group())}",
            hint="请删去它；多是从别处粘贴来的控制字符，或写成了 \\v、\\0 之类的转义"))
        value = XML_INVALID.sub("", value)
    return value


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    # Python refuses to read integers of thousands of digits; no setting needs 20.
    if len(node.value) > 30:
        loader.problems.append(Diagnostic(loader.path, loader.line_of(node), f"数字“{quote(node.value)}”过长"))
        return 0
    return loader.construct_yaml_int(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_text)


def _expanded_size(node: yaml.Node) -> int:
    """How many values the document holds with every alias expanded, counted
    without expanding: each node once, its size remembered (aliases share nodes).
    A node that contains itself counts as too many."""
    too_many = MAX_EXPANDED_NODES + 1
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    pending: list[tuple[yaml.Node, bool]] = [(node, False)]
    while pending:
        current, children_done = pending.pop()
        key = id(current)
        if isinstance(current, yaml.MappingNode):
            children = [n for pair in current.value for n in pair]
        else:
            children = current.value if isinstance(current, yaml.SequenceNode) else []
        if children_done:
            sizes[key] = min(1 + sum(sizes[id(c)] for c in children), too_many)
            open_nodes.discard(key)
        elif key in open_nodes:
            return too_many  # reached from inside itself: a recursive alias
        elif key not in sizes:
            open_nodes.add(key)
            pending.append((current, True))
            pending.extend((child, False) for child in children)
    return sizes[id(node)]


def _first_too_large(node: yaml.Node) -> yaml.Node:
    """The first key whose value is too large expanded, to point a message at."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if _expanded_size(value) > MAX_EXPANDED_NODES:
                return key
    return node


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> Any:
    """Parse YAML; a syntax error or any problem above becomes a diagnostic naming file and line."""
    loader = None
    try:
        loader = _Loader(text, path, line_offset)
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node) > MAX_EXPANDED_NODES:
            raise BriefingError([Diagnostic(path, loader.line_of(_first_too_large(node)),
                                            f"别名（*名称）展开后超过 {MAX_EXPANDED_NODES:,} 个值",
                                            hint="设置文件和 front matter 用不到这么多别名，请直接写出各项")])
        data = loader.construct_document(node)
        slips = slips_in_valid_yaml(text, path, line_offset)
        if slips:
            raise BriefingError(slips)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        slip = slip_at_error(text, mark.line, path, line_offset) if mark else None
        if slip:
            raise BriefingError([slip]) from None
        explained = explain_error(exc.problem, exc.context)
        if explained and explained[2] and exc.context_mark:
            mark = exc.context_mark  # where the [ or the quote was opened
        line = mark.line + 1 + line_offset if mark else None
        message, hint = explained[:2] if explained else (exc.problem or exc.context or "格式错误", "")
        raise BriefingError([Diagnostic(path, line, f"YAML 格式错误：{message}", hint=hint)]) from None
    except yaml.reader.ReaderError as exc:
        line = text[:exc.position].count("\n") + 1 + line_offset
        character = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise BriefingError([Diagnostic(path, line, f"含有不能出现在 YAML 中的字符 {char_name(character)}",
                                        hint="请删去这个字符")]) from None
    except yaml.YAMLError as exc:
        raise BriefingError([Diagnostic(path, None, f"YAML 格式错误：{quote(exc)}")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if loader.problems:
        raise BriefingError(loader.problems)
    return data
