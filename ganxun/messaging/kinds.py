"""Notice kinds: what the platform can tell people, each with its default texts.

A kind is registered once, at import time, by the app that sends it, from its own ``kinds.py``
(imported by its ``AppConfig.ready`` or by the services module that sends it)::

    from ganxun.messaging.kinds import NoticeKind, Variable, register

    LEAVE_DECIDED = register(NoticeKind(
        code="leave_decided",
        label=_("请假审批结果"),
        title="请假{result}：{session}",
        body="{when}《{session}》的请假申请{result}。",
        sms="您{when}《{session}》的请假申请{result}。",
        variables=(
            Variable("session", _("课次名称"), "党史专题"),
            Variable("when", _("上课时间"), "5月6日 09:00"),
            Variable("result", _("审批结果"), "已批准"),
        ),
        official=True,
        external=True,
    ))

**Template syntax** — the only one, for titles, bodies and SMS texts: ``{name}`` is replaced by
the value of the variable ``name``; ``{{`` and ``}}`` are literal braces. Nothing else: no
attribute or index access (``{a.b}``, ``{a[0]}``), no conversions or format specs (``{a!r}``,
``{a:>10}``), no positional fields (``{}``, ``{0}``). Only the kind's declared ``variables`` may
appear, so neither a default nor an administrator's override can reach anything else — the
declared list is the guard against texts carrying an ID number or other personal data the
notice does not need (``register`` also refuses variable names that would carry such data).

The defaults are Chinese *data* (stored notices stay in the language they were sent in), not UI
strings; ``label`` and the variables' labels are UI strings (lazily translated).
"""

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

# Notice.kind is a CharField(max_length=30).
CODE_MAX = 30
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

# Variable names that would carry personal data no notice needs: never declared by any kind.
FORBIDDEN_VARIABLE_PARTS = (
    "id_number",
    "idnumber",
    "idcard",
    "id_card",
    "identity",
    "sfz",
    "phone",
    "mobile",
    "email",
    "mail",
    "password",
    "token",
    "birth",
    "address",
    "nation",
    "political",
)


@dataclass(frozen=True)
class Variable:
    """One value a kind's texts may use: ``name`` (as in ``{name}``), a label for the editor
    and a sample value for its preview."""

    name: str
    label: str | Promise
    sample: str = ""


@dataclass(frozen=True)
class NoticeKind:
    """What the platform can say, and how.

    ``official``: a notice of this kind must reach the person (at least one channel, whatever
    they chose — in-app always counts, plus their first allowed external channel when they
    turned every other off). ``external``: it may leave the platform at all (SMS, e-mail, work
    apps); when False it is in-app only. ``urgent``: delivered even in quiet hours.
    """

    code: str
    label: str | Promise
    title: str
    body: str = ""
    sms: str = ""
    variables: tuple[Variable, ...] = ()
    official: bool = False
    external: bool = True
    urgent: bool = False
    # False: the texts are fixed (written on a hot path without looking overrides up); the
    # editor shows them but offers no override.
    editable: bool = True

    @property
    def variable_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables)

    def sample_context(self) -> dict[str, str]:
        """The preview's context: every variable's sample value."""
        return {v.name: v.sample for v in self.variables}

    def default_texts(self) -> dict[str, str]:
        return {"title": self.title, "body": self.body, "sms": self.sms or self.title}


class TemplateSyntaxError(ValueError):
    """A text that does not follow the one template syntax; ``name`` is the offending field
    (a variable name, or the raw field for malformed ones)."""

    def __init__(self, code: str, name: str = ""):
        super().__init__(f"{code}: {name}")
        self.code = code
        self.name = name


_formatter = string.Formatter()


def parse(text: str) -> list[tuple[str, str | None]]:
    """Split a template into (literal, variable name or None) pieces.

    Raises ``TemplateSyntaxError`` with code ``malformed`` (unbalanced braces), ``positional``
    (``{}`` or ``{0}``), ``not_simple`` (attribute/index access, a conversion or a format
    spec)."""
    pieces: list[tuple[str, str | None]] = []
    try:
        parsed = list(_formatter.parse(text))
    except ValueError:
        raise TemplateSyntaxError("malformed") from None
    for literal, name, spec, conversion in parsed:
        if name is None:
            pieces.append((literal, None))
            continue
        if name == "" or name.isdigit():
            raise TemplateSyntaxError("positional", name)
        if spec or conversion or not _NAME.match(name):
            raw = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise TemplateSyntaxError("not_simple", raw)
        pieces.append((literal, name))
    return pieces


def placeholders(text: str) -> list[str]:
    """The variable names a template uses, in order, each once."""
    seen: list[str] = []
    for _literal, name in parse(text):
        if name is not None and name not in seen:
            seen.append(name)
    return seen


def substitute(text: str, values: dict[str, str]) -> str:
    """Fill a (valid) template: missing variables become empty text."""
    return "".join(
        literal + (values.get(name, "") if name is not None else "")
        for literal, name in parse(text)
    )


def forbidden(name: str) -> bool:
    """Whether a variable name would carry personal data no notice needs."""
    low = name.lower()
    return any(part in low for part in FORBIDDEN_VARIABLE_PARTS)


_REGISTRY: dict[str, NoticeKind] = {}


def _check(kind: NoticeKind) -> None:
    if not _CODE.match(kind.code) or len(kind.code) > CODE_MAX:
        raise ValueError(f"notice kind code {kind.code!r}: lowercase, at most {CODE_MAX}")
    names = kind.variable_names
    if len(set(names)) != len(names):
        raise ValueError(f"notice kind {kind.code}: a variable is declared twice")
    for name in names:
        if not _NAME.match(name):
            raise ValueError(f"notice kind {kind.code}: bad variable name {name!r}")
        if forbidden(name):
            raise ValueError(
                f"notice kind {kind.code}: variable {name!r} would carry personal data"
            )
    for which, text in kind.default_texts().items():
        for name in placeholders(text):
            if name not in names:
                raise ValueError(f"notice kind {kind.code}: {which} uses undeclared {{{name}}}")


def register(kind: NoticeKind, *, replace: bool = False) -> NoticeKind:
    """Add a kind (at import time); returns it. Registering the same kind again is harmless;
    another kind under a taken code is an error unless ``replace`` (tests)."""
    _check(kind)
    known = _REGISTRY.get(kind.code)
    if known is not None and known != kind and not replace:
        raise ValueError(f"notice kind {kind.code} is already registered differently")
    _REGISTRY[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    """Forget a kind (tests only)."""
    _REGISTRY.pop(code, None)


def get(code: str) -> NoticeKind | None:
    """The registered kind, or None (an unregistered code renders ``context['title']`` and
    ``context['body']`` and goes in-app only)."""
    return _REGISTRY.get(code)


def all_kinds() -> list[NoticeKind]:
    """Every registered kind, by code."""
    return sorted(_REGISTRY.values(), key=lambda k: k.code)


def kinds_by_code(codes: Iterable[str]) -> list[NoticeKind]:
    return [k for k in (get(c) for c in codes) if k is not None]
