"""Rendering a notice kind's text, and the checks the template editor runs.

``render(kind, context, org_id=None) -> Rendered`` gives the title, the body and the SMS text of
a notice of ``kind`` for one recipient: the administrator's override for the org or its nearest
ancestor (``TemplateOverride``), else the kind's default (``ganxun.messaging.kinds``). Only the
kind's declared variables are filled (anything else in ``context`` is ignored), and a value that
looks like an ID number is masked — the last guard after the declared-variables list. A kind
nobody registered renders ``context["title"]`` and ``context["body"]`` (nothing to look up).

Batches render many recipients of one kind and org: ``renderer(kind, org_id=…)`` looks the
texts up once and returns the function to apply per recipient (``render`` is the one-off).

The editor's checks (``validate``): the one syntax, only declared variables (an unknown one is
named, a personal-data one is refused as such), a title, and the SMS text — signature 【…】
included, rendered with the kind's sample values — within ``GANXUN_SMS_MAX_CHARS`` (70 = one
segment)."""

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from ganxun.messaging import kinds as registry
from ganxun.messaging.kinds import NoticeKind, TemplateSyntaxError

SMS_SEGMENT = 70  # characters in one segment (UCS-2)
SMS_LONG_SEGMENT = 67  # characters per segment of a concatenated text
TITLE_MAX = 200  # core.Notice.title

_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8,11}([0-9Xx])(?![0-9A-Za-z])")


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    sms: str


@dataclass(frozen=True)
class SmsCount:
    """An SMS text's length with the signature, its segments and the configured maximum."""

    chars: int
    segments: int
    limit: int

    @property
    def over(self) -> bool:
        return self.chars > self.limit


@dataclass(frozen=True)
class Problem:
    field: str  # "title", "body" or "sms"
    message: str
    # required, malformed, not_simple, positional, forbidden_variable, unknown_variable,
    # title_too_long, sms_too_long
    code: str = ""


def sms_signature() -> str:
    name = getattr(settings, "GANXUN_SMS_SIGNATURE", "")
    return f"【{name}】" if name else ""


def sms_limit() -> int:
    return max(SMS_SEGMENT, int(getattr(settings, "GANXUN_SMS_MAX_CHARS", SMS_SEGMENT)))


def sms_count(text: str) -> SmsCount:
    chars = len(text) + len(sms_signature()) if text else 0
    if chars == 0:
        segments = 0
    elif chars <= SMS_SEGMENT:
        segments = 1
    else:
        segments = math.ceil(chars / SMS_LONG_SEGMENT)
    return SmsCount(chars=chars, segments=segments, limit=sms_limit())


def _clip_sms(text: str) -> str:
    room = sms_limit() - len(sms_signature())
    return text if len(text) <= room else text[: room - 1] + "…"


def mask_id_numbers(value: str) -> str:
    """``330102199001011234`` → ``330102********1234``: a value must never carry an ID
    number into a notice, whatever a caller put in the context."""
    return _ID_NUMBER.sub(
        lambda m: m.group(1) + "*" * (len(m.group(0)) - 7) + m.group(0)[-1:], value
    )


def _values(kind: NoticeKind, context: Mapping[str, object]) -> dict[str, str]:
    out = {}
    for name in kind.variable_names:
        value = context.get(name)
        out[name] = "" if value is None else mask_id_numbers(str(value))
    return out


# ---------------------------------------------------------------- which texts apply


def org_chain(org_id: int | None) -> list[int]:
    """The org and its ancestors, nearest first (one query)."""
    if org_id is None:
        return []
    from ganxun.orgs.models import Org

    # scope: the tree above the recipient's org, read to find the texts that apply to it
    path = Org._base_manager.filter(pk=org_id).values_list("path", flat=True).first()
    if path is None:
        return []
    ids = [int(seg, 36) for seg in path.split("/") if seg]
    return list(reversed(ids))


def texts_for(kind: NoticeKind, org_id: int | None) -> tuple[dict[str, str], int | None]:
    """The texts in force for ``org_id``: (title/body/sms, the org whose override it is —
    None for the default)."""
    from ganxun.messaging.models import TemplateOverride

    chain = org_chain(org_id)
    if chain:
        # scope: the overrides of the recipient's org and its ancestors apply to them
        rows = TemplateOverride._base_manager.filter(kind=kind.code, org_id__in=chain)
        found = {o.org_id: o for o in rows}
        for oid in chain:
            if oid in found:
                o = found[oid]
                return {"title": o.title, "body": o.body, "sms": o.sms or o.title}, oid
    return kind.default_texts(), None


def sources_for(org_id: int | None) -> dict[str, int]:
    """For every kind with an override on ``org_id``'s chain: the org whose wording applies
    (two queries whatever the number of kinds — the editor's list)."""
    from ganxun.messaging.models import TemplateOverride

    chain = org_chain(org_id)
    if not chain:
        return {}
    rank = {oid: n for n, oid in enumerate(chain)}
    found: dict[str, int] = {}
    # scope: the overrides of the org and its ancestors apply to it
    for kind, oid in TemplateOverride._base_manager.filter(org_id__in=chain).values_list(
        "kind", "org_id"
    ):
        if kind not in found or rank[oid] < rank[found[kind]]:
            found[kind] = oid
    return found


def renderer(
    kind: str | NoticeKind, *, org_id: int | None = None
) -> Callable[[Mapping[str, object]], Rendered]:
    """Look the texts up once; the returned function renders one recipient's context."""
    k = registry.get(kind) if isinstance(kind, str) else kind
    if k is None:
        return _unregistered
    texts, _org = texts_for(k, org_id)

    def render_one(context: Mapping[str, object]) -> Rendered:
        values = _values(k, context)
        return Rendered(
            title=registry.substitute(texts["title"], values)[:TITLE_MAX],
            body=registry.substitute(texts["body"], values),
            sms=_clip_sms(registry.substitute(texts["sms"], values)),
        )

    return render_one


def _unregistered(context: Mapping[str, object]) -> Rendered:
    title = mask_id_numbers(str(context.get("title", "")))
    body = mask_id_numbers(str(context.get("body", "")))
    return Rendered(title=title[:TITLE_MAX], body=body, sms=_clip_sms(f"{title} {body}".strip()))


def render(kind: str, context: Mapping[str, object], *, org_id: int | None = None) -> Rendered:
    return renderer(kind, org_id=org_id)(context)


# ---------------------------------------------------------------- the editor's checks


def _syntax_problem(field: str, text: str, kind: NoticeKind) -> Problem | None:
    try:
        names = registry.placeholders(text)
    except TemplateSyntaxError as e:
        if e.code == "malformed":
            msg = _("花括号不成对。变量写成 {title} 这样；要写花括号本身，请写 {{ 或 }}。")
        else:
            msg = _("不支持的写法 {%(raw)s}：变量只能写成 {title} 这样。") % {"raw": e.name}
        return Problem(field, msg, e.code)
    allowed = kind.variable_names
    for name in names:
        if name in allowed:
            continue
        if registry.forbidden(name):
            msg = _("变量 {%(name)s} 可能带有身份证号、电话等个人信息，消息中不能使用。") % {
                "name": name
            }
            return Problem(field, msg, "forbidden_variable")
        msg = _("未知变量 {%(name)s}。此类消息可用的变量：%(names)s。") % {
            "name": name,
            "names": "、".join("{" + n + "}" for n in allowed) or _("无"),
        }
        return Problem(field, msg, "unknown_variable")
    return None


def validate(kind: NoticeKind, *, title: str, body: str, sms: str) -> list[Problem]:
    """What is wrong with these texts for ``kind`` (empty: they may be saved)."""
    problems = []
    if not title.strip():
        problems.append(Problem("title", _("请填写标题。"), "required"))
    for field, text in (("title", title), ("body", body), ("sms", sms)):
        problem = _syntax_problem(field, text, kind)
        if problem:
            problems.append(problem)
    if problems:
        return problems
    sample = _values(kind, kind.sample_context())
    if len(registry.substitute(title, sample)) > TITLE_MAX:
        problems.append(
            Problem("title", _("标题过长（最多 %(n)s 字）。") % {"n": TITLE_MAX}, "title_too_long")
        )
    if kind.external:
        count = sms_count(registry.substitute(sms or title, sample))
        if count.over:
            problems.append(
                Problem(
                    "sms",
                    _(
                        "短信按示例值共 %(chars)s 字（含签名 %(sign)s），分 %(segments)s 条发送，"
                        "超过上限 %(limit)s 字。请缩短。"
                    )
                    % {
                        "chars": count.chars,
                        "sign": sms_signature() or "-",
                        "segments": count.segments,
                        "limit": count.limit,
                    },
                    "sms_too_long",
                )
            )
    return problems


def preview(kind: NoticeKind, *, title: str, body: str, sms: str) -> tuple[Rendered, SmsCount]:
    """The texts filled with the kind's sample values (only valid texts; see ``validate``)."""
    sample = _values(kind, kind.sample_context())
    text = Rendered(
        title=registry.substitute(title, sample),
        body=registry.substitute(body, sample),
        sms=registry.substitute(sms or title, sample),
    )
    return text, sms_count(text.sms)
