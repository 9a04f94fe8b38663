"""A one-off helper for moving templates onto Django's i18n: wraps the Chinese text of templates in
``{% translate %}`` where that is mechanical, and leaves the rest to a person.

Mechanical: a run of text between tags (``<h2>教材资料</h2>``), an attribute value
(``data-label="单位"``, ``placeholder``, ``data-confirm``), a literal given to ``default:`` or an
``include … with x="…"``. Sentences broken by variables (``共{{ n }}份``) are wrapped piecewise;
a person should turn them into one ``{% blocktranslate %}``. ``{% load i18n %}`` is added.

    python -m tests.i18n_wrap ganxun/templates/catalog/*.html
"""

import re
import sys
from pathlib import Path

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TAG = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})", re.S)
# attribute values without template code inside
ATTR = re.compile(r"""(\s[\w:-]+=)(["'])([^"'{}<>]*?)\2""")
TEXT_RUN = re.compile(r"(^|>)([^<>]+?)(?=<|$)", re.S)
LITERAL_ARG = re.compile(
    r"""((?:default|default_if_none|date|time):|\bwith\s+[\w\s="'_()]*?\w+=)(["'])([^"']*)\2"""
)
SKIP_BLOCKS = ("comment", "blocktranslate", "blocktrans", "verbatim")


def _translate_tag(text: str) -> str:
    quote = '"' if '"' not in text else "'"
    return "{% translate " + quote + text + quote + " %}"


def _wrap_run(run: str) -> str:
    if not HAN.search(run):
        return run
    if "\n" in run.strip():  # a tag cannot span lines: one message per line
        return "\n".join(_wrap_run(line) for line in run.split("\n"))
    stripped = run.strip()
    lead = run[: len(run) - len(run.lstrip())]
    trail = run[len(run.rstrip()) :]
    return f"{lead}{_translate_tag(stripped)}{trail}"


def _wrap_text(text: str) -> str:
    def attr(match):
        name, quote, value = match.groups()
        if not HAN.search(value):
            return match.group(0)
        return f"{name}{quote}{_translate_tag(value)}{quote}"

    text = ATTR.sub(attr, text)
    # text runs outside tags; the attribute values wrapped above hold "{%", which TEXT_RUN's
    # class excludes only for < and >, so split on the translate tags we just made
    parts = re.split(r"({% translate .*? %})", text)
    out = []
    for part in parts:
        if part.startswith("{% translate "):
            out.append(part)
            continue
        out.append(_wrap_runs_outside_tags(part))
    return "".join(out)


def _wrap_runs_outside_tags(text: str) -> str:
    """Wrap Han text that is not inside an HTML tag's angle brackets."""
    out, depth_start = [], 0
    i = 0
    buf = ""
    in_tag = False
    while i < len(text):
        ch = text[i]
        if ch == "<" and not in_tag:
            out.append(_wrap_run(buf))
            buf, in_tag = "<", True
        elif ch == ">" and in_tag:
            out.append(buf + ">")
            buf, in_tag = "", False
        else:
            buf += ch
        i += 1
    out.append(buf if in_tag else _wrap_run(buf))
    del depth_start
    return "".join(out)


def _wrap_literals(token: str) -> str:
    def literal(match):
        prefix, _quote, value = match.groups()
        if not HAN.search(value):
            return match.group(0)
        return f'{prefix}_("{value}")'

    return LITERAL_ARG.sub(literal, token)


def wrap_template(source: str) -> str:
    pieces = TAG.split(source)
    out = []
    skip = None
    in_tag = False  # text pieces can sit inside an HTML tag split by template code
    for piece in pieces:
        if piece.startswith("{%"):
            name = piece[2:-2].strip().split(" ", 1)[0]
            if skip is None and name in SKIP_BLOCKS:
                skip = "end" + name
            elif skip and name == skip:
                skip = None
            out.append(piece if skip or name == "translate" else _wrap_literals(piece))
        elif piece.startswith("{{"):
            out.append(piece if skip else _wrap_literals(piece))
        elif piece.startswith("{#") or skip:
            out.append(piece)
        else:
            out.append(_wrap_text_in_context(piece, in_tag))
        in_tag = (
            _ends_inside_tag(piece, in_tag) if not piece.startswith(("{%", "{{", "{#")) else in_tag
        )
    return _add_load(source, "".join(out))


def _wrap_text_in_context(piece: str, in_tag: bool) -> str:
    if not in_tag:
        return _wrap_text(piece)
    # the piece starts inside a tag's attributes: leave up to the tag's end to the attr pass
    end = piece.find(">")
    if end == -1:
        return ATTR.sub(lambda m: m.group(0), piece)
    return _wrap_attrs_only(piece[: end + 1]) + _wrap_text(piece[end + 1 :])


def _wrap_attrs_only(text: str) -> str:
    def attr(match):
        name, quote, value = match.groups()
        if not HAN.search(value):
            return match.group(0)
        return f"{name}{quote}{_translate_tag(value)}{quote}"

    return ATTR.sub(attr, text)


def _ends_inside_tag(piece: str, was_inside: bool) -> bool:
    last_open, last_close = piece.rfind("<"), piece.rfind(">")
    if last_open == last_close == -1:
        return was_inside
    return last_open > last_close


def _add_load(original: str, wrapped: str) -> str:
    if wrapped == original or re.search(r"{%\s*load\s[^%]*\bi18n\b", wrapped):
        return wrapped
    match = re.match(r"\s*{%\s*extends\s[^%]*%}\n?", wrapped)
    if match:
        return wrapped[: match.end()] + "{% load i18n %}\n" + wrapped[match.end() :]
    return "{% load i18n %}" + wrapped


if __name__ == "__main__":
    for name in sys.argv[1:]:
        path = Path(name)
        source = path.read_text(encoding="utf-8")
        wrapped = wrap_template(source)
        if wrapped != source:
            path.write_text(wrapped, encoding="utf-8")
            print("wrapped", name)
