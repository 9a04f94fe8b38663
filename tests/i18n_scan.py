"""Finds user-facing Chinese text that does not go through Django's i18n.

Templates: every text node, variable literal and tag argument holding CJK characters must sit
inside ``{% translate %}`` / ``{% blocktranslate %}`` (comments aside). Python: a string with CJK
characters handed to something that shows it to a person — a form's ``label``/``help_text``/
``empty_label``/``verbose_name``, a model choice's label, ``messages.*``, an ``…Error(…)`` (the
apps' DomainErrors, ValidationError, CellError), ``add_error`` — must be wrapped in ``gettext``
(or ``_``, ``gettext_lazy``, ``ngettext``, ``pgettext``). Data the code matches against (synonym
lists, parsing words, the taxonomy) is not a message and is not flagged.

Run ``python -m tests.i18n_scan [app …]`` for the list; tests/test_i18n.py fails on any entry.
"""

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "ganxun"
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60]")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TRANSLATORS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "gettext_noop",
}
MESSAGE_KWARGS = {
    "label",
    "help_text",
    "empty_label",
    "verbose_name",
    "verbose_name_plural",
    "message",
    "placeholder",
}
MESSAGE_METHODS = {"success", "error", "warning", "info", "debug", "add_error", "add_message"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text[:60]!r}"


# ---------------------------------------------------------------- templates


def scan_template(path: Path) -> list[Finding]:
    from django.template.base import Lexer, TokenType

    source = path.read_text(encoding="utf-8")
    findings = []
    depth_trans = 0
    in_comment = False
    for token in Lexer(source).tokenize():
        content = token.contents
        if token.token_type == TokenType.BLOCK:
            name = content.split(" ", 1)[0]
            if name == "comment":
                in_comment = True
            elif name == "endcomment":
                in_comment = False
            elif name in ("blocktranslate", "blocktrans"):
                depth_trans += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                depth_trans -= 1
            elif name in ("plural",):
                pass
            elif not in_comment and not depth_trans and HAN.search(_untranslated_args(content)):
                findings.append(Finding(_rel(path), token.lineno, "{% " + content + " %}"))
            continue
        if in_comment or depth_trans or token.token_type == TokenType.COMMENT:
            continue
        if token.token_type == TokenType.VAR:
            if HAN.search(_untranslated_args(content)):
                findings.append(Finding(_rel(path), token.lineno, "{{ " + content + " }}"))
        elif token.token_type == TokenType.TEXT and HAN.search(content):
            for offset, line in enumerate(content.splitlines()):
                if HAN.search(line):
                    findings.append(Finding(_rel(path), token.lineno + offset, line.strip()))
    return findings


_TRANSLATED_ARG = re.compile(r"""_\((["']).*?\1\)""")


def _untranslated_args(content: str) -> str:
    """The tag or variable without its ``_("…")`` literals and, for {% translate "…" %}, the
    message itself."""
    name = content.split(" ", 1)[0]
    if name in ("translate", "trans"):
        return ""
    return _TRANSLATED_ARG.sub("", content)


# ---------------------------------------------------------------- python


class _MessageVisitor(ast.NodeVisitor):
    def __init__(self, rel: str):
        self.rel = rel
        self.findings: list[Finding] = []

    def _flag(self, node) -> None:
        for text in _untranslated_texts(node):
            self.findings.append(Finding(self.rel, node.lineno, text))

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node.func)
        if name in TRANSLATORS:
            return  # its argument is the msgid
        if name.endswith("Error") or name in ("ValidationError", "DomainError"):
            for arg in node.args:
                self._flag(arg)
        if name in MESSAGE_METHODS:
            for arg in node.args[1:]:
                self._flag(arg)
        for kw in node.keywords:
            if kw.arg in MESSAGE_KWARGS:
                self._flag(kw.value)
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        bases = {_call_name(b) for b in node.bases}
        if bases & {"TextChoices", "IntegerChoices", "Choices"}:
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Tuple):
                    for element in stmt.value.elts[1:]:
                        self._flag(element)
        self.generic_visit(node)


def _call_name(func) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _untranslated_texts(node) -> list[str]:
    """CJK text in a message expression that no translator call wraps."""
    if isinstance(node, ast.Call) and _call_name(node.func) in TRANSLATORS:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if HAN.search(node.value) else []
    if isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return [text] if HAN.search(text) else []
    if isinstance(node, ast.BinOp):  # "…" + x, "…%s" % x
        return _untranslated_texts(node.left) + _untranslated_texts(node.right)
    if isinstance(node, ast.IfExp):
        return _untranslated_texts(node.body) + _untranslated_texts(node.orelse)
    return []


def scan_python(path: Path) -> list[Finding]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    visitor = _MessageVisitor(_rel(path))
    visitor.visit(tree)
    return visitor.findings


# ---------------------------------------------------------------- the tree


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT.parent))


def python_files(apps=()) -> list[Path]:
    files = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "demo" in parts or (apps and parts[0] not in apps):
            continue
        files.append(path)
    return files


def template_files(apps=()) -> list[Path]:
    files = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        rel = path.relative_to(ROOT / "templates") if ROOT / "templates" in path.parents else None
        app = rel.parts[0] if rel and len(rel.parts) > 1 else "templates"
        if apps and app not in apps:
            continue
        files.append(path)
    return files


def scan(apps=()) -> list[Finding]:
    findings = []
    for path in template_files(apps):
        findings += scan_template(path)
    for path in python_files(apps):
        findings += scan_python(path)
    return findings


if __name__ == "__main__":
    import django

    sys.path.insert(0, str(ROOT.parent))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ganxun.config.settings.test")
    django.setup()
    results = scan(tuple(sys.argv[1:]))
    for finding in results:
        print(finding)
    by_file: dict[str, int] = {}
    for finding in results:
        by_file[finding.path] = by_file.get(finding.path, 0) + 1
    print(f"\n{len(results)} untranslated texts in {len(by_file)} files", file=sys.stderr)
