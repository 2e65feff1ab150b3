"""Edit YAML as text, so everything a curator wrote outside the edit stays byte for byte.

Re-dumping a file with PyYAML would drop comments, reorder nothing useful and
reflow long strings; moderators diff these files in git.  Instead we find the
exact span of a node (with the pure-Python composer, whose marks count
characters) and splice text in.  Callers re-validate the result, so a layout we
did not anticipate produces a refusal, never a broken file.
"""

from __future__ import annotations

import re

import yaml

from bot.knowledge.loader import ORGS_FILE


class LayoutError(ValueError):
    """The file is laid out in a way these text edits do not handle."""


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def compose(text: str) -> yaml.Node | None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        return node if isinstance(node, yaml.Node) else None
    except yaml.YAMLError as exc:
        raise LayoutError(f"{ORGS_FILE} is not valid YAML: {exc}") from None


def mapping_get(node: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node if isinstance(value_node, yaml.Node) else None
    return None


def line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _content_end(text: str, node: yaml.Node) -> int:
    """Offset just past the line holding the node's last character.

    Block collections end where the *next* token starts (after comments and blank
    lines), so we descend to the last scalar instead, then drop trailing blank lines.
    """
    while (isinstance(node, yaml.MappingNode | yaml.SequenceNode)
           and not node.flow_style and node.value):
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    end = node.end_mark.index
    if end == 0 or text[end - 1] != "\n":
        newline = text.find("\n", end)
        end = len(text) if newline < 0 else newline + 1
    while end > 0:
        previous = line_start(text, end - 1)
        if text[previous:end].strip() or previous == end:
            break
        end = previous
    return end


# What YAML allows unescaped in a double-quoted scalar, minus the line breaks
# (\x85, \u2028, \u2029) that would be folded into spaces.
_PLAIN_CHAR = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def yaml_string(value: str) -> str:
    """``value`` as a double-quoted YAML scalar that reads back exactly."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif _PLAIN_CHAR.fullmatch(char):
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) <= 0xFFFF:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def _item_prefix(text: str, item: yaml.Node) -> str:
    """The '  - ' before a block-sequence item; LayoutError when it is not that simple."""
    start = line_start(text, item.start_mark.index)
    prefix = text[start:item.start_mark.index]
    if prefix.strip() != "-":
        raise LayoutError("list items must start on their own '- ' line")
    return prefix


def _as_item(body: str, prefix: str, newline: str) -> str:
    """Re-indent a top-level YAML mapping as one block-sequence item."""
    lines = body.replace("\r\n", "\n").split("\n")
    while lines and (not lines[0].strip() or lines[0].strip() == "---"):
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise LayoutError("the uploaded organisation is empty")
    continuation = " " * len(prefix)
    # Leading comments go above the '- ' line so the item still starts on it.
    comments = []
    while lines and (lines[0].lstrip().startswith("#") or not lines[0].strip()):
        comment = lines.pop(0).strip()
        if comment:
            comments.append(continuation + comment)
    if not lines:
        raise LayoutError("the uploaded organisation is empty")
    out = [*comments, prefix + lines[0]]
    out.extend(continuation + line if line.strip() else "" for line in lines[1:])
    return newline.join(out) + newline


def org_items(text: str) -> tuple[yaml.SequenceNode, list[tuple[str, yaml.Node]]]:
    """The 'orgs' block sequence and ``(id, item node)`` for each entry."""
    root = compose(text)
    orgs = mapping_get(root, "orgs") if root is not None else None
    if not isinstance(orgs, yaml.SequenceNode) or orgs.flow_style:
        raise LayoutError(f"{ORGS_FILE} must have a block list under 'orgs:'")
    items = []
    for item in orgs.value:
        id_node = mapping_get(item, "id")
        items.append((id_node.value if isinstance(id_node, yaml.ScalarNode) else "", item))
    return orgs, items


def merge_org(orgs_text: str, org_id: str, org_body: str) -> str:
    """orgs.yaml with the entry ``org_id`` replaced by (or extended with) ``org_body``."""
    if not orgs_text.strip():
        return "orgs:\n" + _as_item(org_body, "  - ", "\n")
    newline = newline_of(orgs_text)
    _, items = org_items(orgs_text)
    for item_id, item in items:
        if item_id == org_id:
            start = line_start(orgs_text, item.start_mark.index)
            end = _content_end(orgs_text, item)
            new_item = _as_item(org_body, _item_prefix(orgs_text, item), newline)
            return orgs_text[:start] + new_item + orgs_text[end:]
    if not items:
        raise LayoutError(f"{ORGS_FILE} has no entries to line a new one up with")
    last = items[-1][1]
    end = _content_end(orgs_text, last)
    head = orgs_text[:end]
    if not head.endswith("\n"):
        head += newline
    return head + _as_item(org_body, _item_prefix(orgs_text, last), newline) + orgs_text[end:]


def extract_org(orgs_text: str, org_id: str) -> str | None:
    """One org's lines from orgs.yaml as a stand-alone YAML mapping (for download)."""
    _, items = org_items(orgs_text)
    for item_id, item in items:
        if item_id != org_id:
            continue
        prefix = _item_prefix(orgs_text, item)
        start = line_start(orgs_text, item.start_mark.index)
        lines = orgs_text[start:_content_end(orgs_text, item)].replace("\r\n", "\n").split("\n")
        width = len(prefix)
        out = [lines[0][width:]]
        out.extend(line[width:] if line[:width].strip() == "" else line.lstrip()
                   for line in lines[1:])
        return "\n".join(out).rstrip("\n") + "\n"
    return None


def _entry_mapping(text: str, kind: str, entry_id: str) -> yaml.Node:
    root = compose(text)
    if kind == "org":
        for item_id, item in org_items(text)[1]:
            if item_id == entry_id:
                return item
        raise LayoutError(f"org '{entry_id}' is not in {ORGS_FILE}")
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise LayoutError("the file must be a block mapping")
    return root


def append_question(text: str, kind: str, entry_id: str, question: str) -> str:
    """``text`` with ``question`` appended to the entry's ``questions`` list."""
    newline = newline_of(text)
    entry = _entry_mapping(text, kind, entry_id)
    quoted = yaml_string(question)
    questions = mapping_get(entry, "questions")
    if questions is None:
        indent = " " * entry.start_mark.column
        end = _content_end(text, entry)
        head = text[:end] if text[:end].endswith("\n") else text[:end] + newline
        block = f"{indent}questions:{newline}{indent}  - {quoted}{newline}"
        return head + block + text[end:]
    if isinstance(questions, yaml.SequenceNode) and questions.flow_style:
        close = questions.end_mark.index - 1
        if text[close] != "]":
            raise LayoutError("could not find the end of the questions list")
        separator = ", " if questions.value else ""
        return text[:close] + separator + quoted + text[close:]
    if isinstance(questions, yaml.SequenceNode) and questions.value:
        last = questions.value[-1]
        end = _content_end(text, last)
        head = text[:end] if text[:end].endswith("\n") else text[:end] + newline
        return head + f"{_item_prefix(text, last)}{quoted}{newline}" + text[end:]
    if isinstance(questions, yaml.ScalarNode) and questions.value == "":
        # 'questions:' with nothing after it: add the list on the following lines.
        key_line_end = text.find("\n", questions.start_mark.index)
        key_line_end = len(text) if key_line_end < 0 else key_line_end + 1
        head = text[:key_line_end]
        if not head.endswith("\n"):
            head += newline
        indent = " " * entry.start_mark.column
        return head + f"{indent}  - {quoted}{newline}" + text[key_line_end:]
    raise LayoutError("'questions' is not a list")
