"""Regenerate the generated parts of docs/plugin-guide.md from the code.

    python tools/plugin_guide.py            rewrite the guide's generated sections
    python tools/plugin_guide.py --check    exit 1 if the committed guide is out of date

Two sections are generated, each between ``<!-- generated: NAME -->`` and
``<!-- end generated: NAME -->``: ``hooks`` (every hookspec of cleaner/hookspecs.py, by
phase, with its exact signature and its docstring, the hook's contract) and
``rules-format`` (every table and key a rules file may have, from cleaner.rules.TABLES).
The prose around them is written by hand.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "plugin-guide.md"
HOOKSPECS = ROOT / "cleaner" / "hookspecs.py"

_PHASE = re.compile(r"^# -- (\w[\w ]*?) -+$")
_ROLE = re.compile(r":(?:class|func|meth|attr|mod|data|exc):`~?([\w.]+)`")
_FIELD = re.compile(r"^:(param (\w+)|return|returns|raises? (\w+)):\s*(.*)$")


# -- hooks ---------------------------------------------------------------------------------


def hook_signatures(source: str) -> list[tuple[str, str, str, str]]:
    """(phase, decorator, signature, docstring) of every hookspec in the module's source."""
    tree = ast.parse(source)
    phases = [(n + 1, m.group(1)) for n, line in enumerate(source.splitlines()) if (m := _PHASE.match(line))]
    hooks = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or not node.name.startswith("cleaner_"):
            continue
        phase = next((name for lineno, name in reversed(phases) if lineno < node.lineno), "")
        decorator = "".join(f"@{ast.unparse(d)}\n" for d in node.decorator_list)
        returns = f" -> {ast.unparse(node.returns)}" if node.returns is not None else ""
        signature = f"def {node.name}({ast.unparse(node.args)}){returns}"
        hooks.append((phase, decorator, signature, ast.get_docstring(node) or ""))
    return hooks


def docstring_to_markdown(doc: str) -> str:
    """A reST docstring (``code``, :class:`x`, :param:/:return: fields) as Markdown."""
    doc = _ROLE.sub(lambda m: f"``{m.group(1).rsplit('.', 1)[-1]}``", doc)
    out: list[str] = []
    for line in inspect.cleandoc(doc).splitlines():
        m = _FIELD.match(line.strip())
        if m and not line.startswith(" "):
            head, name, raised, text = m.groups()
            label = f"`{name}`" if name else (f"raises `{raised}`" if raised else "returns")
            out.append(f"- **{label}**: {text}")
        elif line.startswith("    ") and out and out[-1].startswith("- **"):
            out[-1] += " " + line.strip()  # a field's continuation line
        else:
            out.append(line)
    text = "\n".join(out)
    text = re.sub(r"``(.+?)``", r"`\1`", text)
    return text


def render_hooks() -> str:
    parts = []
    current = None
    for phase, decorator, signature, doc in hook_signatures(HOOKSPECS.read_text(encoding="utf-8")):
        if phase != current:
            parts.append(f"### Phase: {phase}\n")
            current = phase
        name = signature.split("(", 1)[0].removeprefix("def ")
        parts.append(f"#### `{name}`\n\n```python\n{decorator}{signature}\n```\n\n{docstring_to_markdown(doc)}\n")
    return "\n".join(parts)


# -- rules format --------------------------------------------------------------------------


def render_rules_format() -> str:
    sys.path.insert(0, str(ROOT))
    from cleaner.rules import MATCHER_KEYS, TABLES

    parts = []
    for table, (array, keys) in TABLES.items():
        header = f"[[{table}]]" if array else f"[{table}]"
        parts.append(f"#### `{header}`\n")
        parts.append("| key | type | required | meaning |\n| --- | --- | --- | --- |")
        for key in keys:
            required = "yes" if key.required else "one of the four" if key.name in MATCHER_KEYS else ""
            parts.append(f"| `{key.name}` | {key.type} | {required} | {key.doc} |")
        parts.append("")
    return "\n".join(parts)


SECTIONS = {"hooks": render_hooks, "rules-format": render_rules_format}


def regenerate(text: str) -> str:
    """The guide with every generated section rendered afresh."""
    for name, render in SECTIONS.items():
        begin, end = f"<!-- generated: {name} -->", f"<!-- end generated: {name} -->"
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
        if not pattern.search(text):
            raise SystemExit(f"{GUIDE}: no {begin} ... {end} section")
        block = f"{begin}\n<!-- written by tools/plugin_guide.py; do not edit by hand -->\n\n{render().rstrip()}\n\n{end}"

        def constant(_m: re.Match[str], block: str = block) -> str:
            return block

        text = pattern.sub(constant, text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the guide is out of date")
    args = parser.parse_args(argv)
    current = GUIDE.read_text(encoding="utf-8")
    fresh = regenerate(current)
    if args.check:
        if fresh != current:
            print(f"{GUIDE} is out of date: run python tools/plugin_guide.py", file=sys.stderr)
            return 1
        return 0
    if fresh != current:
        GUIDE.write_text(fresh, encoding="utf-8")
        print(f"rewrote {GUIDE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
