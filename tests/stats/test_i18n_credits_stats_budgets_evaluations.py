"""Issue 16 item 10 for credits, stats, budgets and evaluations: every user-facing string goes
through Django's i18n, every message these apps use has its English, and the charts take their
words from the page."""

import ast
import re
from pathlib import Path

from django.template.base import Lexer, TokenType

from tests.i18n_scan import ROOT, python_files, scan, template_files

APPS = ("credits", "stats", "budgets", "evaluations")
LOCALE = ROOT / "locale"
CATALOGUES = (LOCALE / "en" / "LC_MESSAGES" / "django.po",)
PLACEHOLDER = re.compile(r"%\(\w+\)s")
HAN = re.compile(r"[\u4e00-\u9fff]")
TRANSLATORS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext"}


def _unquote(lines: list[str]) -> str:
    raw = "".join(re.findall(r'"(.*)"', "\n".join(lines)))
    return raw.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _entries(text: str):
    """(block, msgid, msgid_plural, [msgstr…]) of each entry of a .po file."""
    for block in text.split("\n\n"):
        fields: dict[str, list[str]] = {}
        key = None
        for line in block.splitlines():
            found = re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d\])?) ", line)
            if found:
                key = found.group(1)
                fields[key] = [line[len(key) + 1 :]]
            elif line.startswith('"') and key:
                fields[key].append(line)
        msgid = _unquote(fields.get("msgid", []))
        if msgid:
            strs = [_unquote(v) for k, v in fields.items() if k.startswith("msgstr")]
            yield block, msgid, _unquote(fields.get("msgid_plural", [])), strs


def _translated() -> set[str]:
    known = set()
    for path in CATALOGUES:
        for block, msgid, _plural, strs in _entries(path.read_text(encoding="utf-8")):
            if all(strs) and "fuzzy" not in block.split("msgid")[0]:
                known.add(msgid)
    return known


def _block_msgids(path: Path):
    """The msgids of a template's {% translate "…" %} and {% blocktranslate %} (as makemessages
    writes them: variables as %(name)s, a literal % doubled)."""
    source = path.read_text(encoding="utf-8")
    inside, parts = False, []
    for token in Lexer(source).tokenize():
        content = token.contents
        if token.token_type == TokenType.BLOCK:
            name = content.split(" ", 1)[0]
            if name in ("translate", "trans"):
                literal = re.match(r"""\w+ (["'])(.*?)\1""", content)
                if literal:
                    yield literal.group(2).replace("%", "%%")
            elif name in ("blocktranslate", "blocktrans"):
                inside, parts = True, []
            elif name in ("plural", "endblocktranslate", "endblocktrans") and inside:
                yield "".join(parts)
                parts = []
                inside = name == "plural"
        elif inside and token.token_type == TokenType.VAR:
            parts.append(f"%({content.strip()})s")
        elif inside and token.token_type == TokenType.TEXT:
            parts.append(content.replace("%", "%%"))
        for literal in re.findall(r"""\b_\((["'])(.*?)\1\)""", content):
            yield literal[1]


def _python_msgids(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0]
            if name in TRANSLATORS and isinstance(first, ast.Constant):
                yield first.value


def test_no_chinese_outside_translatable_strings_in_these_apps():
    assert [str(f) for f in scan(APPS)] == []


def test_every_message_of_these_apps_has_its_english():
    known = _translated()
    missing = set()
    for path in template_files(APPS):
        missing |= {m for m in _block_msgids(path) if HAN.search(m) and m not in known}
    for path in python_files(APPS):
        missing |= {m for m in _python_msgids(path) if HAN.search(m) and m not in known}
    assert sorted(missing) == []


def test_chart_words_come_from_the_page():
    for name in ("stats.js", "evaluations.js", "credits.js"):
        path = ROOT / "static" / "js" / name
        code = "\n".join(
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if not line.strip().startswith(("//", "*", "/*"))
        )
        assert not HAN.search(code), name


def test_the_compliance_panel_reads_in_english():
    """The English catalogue turns the panel's sentence,
    its table's total row and the year into English; Chinese stays the default."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    from ganxun.stats.period import Period

    panel = SimpleNamespace(
        summary={"cadres": 1200, "compliant": 900, "share": 75.0},
        headers=["单位", "在职干部", "达标人数", "达标率（%）"],
        rows=[["合计", 1200, 900, 75.0]],
        note="",
    )
    with translation.override("zh-hans"):
        chinese = render_to_string("stats/_compliance.html", {"panel": panel})
    assert "在职干部 1,200 人，达标 900 人，达标率 75.0%。" in chinese
    assert 'data-testid="total-row"' in chinese
    with translation.override("en"):
        panel.rows = [["Total", 1200, 900, 75.0]]
        english = render_to_string("stats/_compliance.html", {"panel": panel})
        year = Period.of_year(2030).label
    assert "1,200 serving cadres, 900 compliant, compliance rate 75.0%." in english
    assert 'data-testid="total-row"' in english
    assert year == "2030"
