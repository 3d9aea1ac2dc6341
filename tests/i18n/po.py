"""A small reader and writer of gettext PO files (polib is not a dependency)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

_KEYWORDS = ("msgctxt", "msgid_plural", "msgid", "msgstr")


@dataclass
class Entry:
    """One PO entry; ``msgstr`` holds a single string, ``msgstr_plural`` the plural forms."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        """What identifies the entry in its catalogue: context and msgid."""
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translations(self) -> list[str]:
        """Every msgstr of the entry (one, or one per plural form)."""
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]


def _unquote(text: str) -> str:
    return str(ast.literal_eval(text.strip()))


def parse(text: str) -> list[Entry]:
    """The entries of a PO file, header included (msgid ""); obsolete entries are skipped."""
    entries: list[Entry] = []
    entry = Entry()
    started = False
    target: tuple[str, int | None] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            if started:
                entries.append(entry)
            entry, started, target = Entry(), False, None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if started:  # a comment opens the next entry even without a blank line
                entries.append(entry)
                entry, started, target = Entry(), False, None
            if line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            else:
                entry.comments.append(raw)
            continue
        if line.startswith('"'):
            if target is None:
                raise ValueError(f"string without keyword: {raw!r}")
            _append(entry, target, _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        index: int | None = None
        if keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            keyword = "msgstr"
        if keyword not in _KEYWORDS:
            raise ValueError(f"unknown line in PO file: {raw!r}")
        if keyword == "msgctxt" and started and target is not None and target[0] != "msgctxt":
            entries.append(entry)
            entry = Entry()
        if keyword == "msgid" and started and target is not None and target[0] == "msgstr":
            entries.append(entry)
            entry = Entry()
        started = True
        target = (keyword, index)
        if keyword == "msgid_plural":
            entry.msgid_plural = ""
        _append(entry, target, _unquote(rest))
    if started:
        entries.append(entry)
    return entries


def _append(entry: Entry, target: tuple[str, int | None], value: str) -> None:
    keyword, index = target
    if keyword == "msgstr" and index is not None:
        entry.msgstr_plural[index] = entry.msgstr_plural.get(index, "") + value
    elif keyword == "msgstr":
        entry.msgstr += value
    elif keyword == "msgid":
        entry.msgid += value
    elif keyword == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + value
    else:
        entry.msgctxt = (entry.msgctxt or "") + value


def read(path: Path) -> list[Entry]:
    """The entries of the PO file at ``path``."""
    return parse(path.read_text(encoding="utf-8"))


def quote(value: str) -> str:
    """A PO string literal; multi-line values are split after each newline."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{p}"' for p in parts)


def dump(entries: list[Entry]) -> str:
    """PO text of ``entries`` (msgmerge re-wraps long lines on the next update)."""
    blocks = []
    for e in entries:
        lines = [c for c in e.comments if not c.startswith("#|")]
        if e.flags:
            lines.append("#, " + ", ".join(sorted(e.flags)))
        lines += [c for c in e.comments if c.startswith("#|")]
        if e.msgctxt is not None:
            lines.append("msgctxt " + quote(e.msgctxt))
        lines.append("msgid " + quote(e.msgid))
        if e.msgid_plural is not None:
            lines.append("msgid_plural " + quote(e.msgid_plural))
            for i in sorted(e.msgstr_plural):
                lines.append(f"msgstr[{i}] " + quote(e.msgstr_plural[i]))
        else:
            lines.append("msgstr " + quote(e.msgstr))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
