"""Reading a paper sign-in sheet typed (or pasted from a scan's OCR) into a text box: one person
per line, by 身份证号, last 4 of it, or name. The organizer sees every line's match before
anything is written."""

import re
from dataclasses import dataclass

from ganxun.checkin.models import Attendance
from ganxun.core.scoping import children_of
from ganxun.enrollment.expected import expected_trainees
from ganxun.orgs.lookup import cadres_by_id_numbers
from ganxun.orgs.models import Cadre
from ganxun.programs.models import Session

MAX_LINES = 1000
ID_RE = re.compile(r"\d{17}[\dXx]")
TAIL_RE = re.compile(r"(?<![\dXx])\d{3}[\dXx](?![\dXx])")
SPLIT_RE = re.compile(r"[\s,，、;；|]+")


@dataclass
class SheetLine:
    text: str
    status: str  # match | walk_in | already | ambiguous | unknown | not_enrolled
    cadre: Cadre | None = None
    note: str = ""

    @property
    def recordable(self) -> bool:
        return self.status in ("match", "walk_in")


LABELS = {
    "match": "匹配",
    "walk_in": "旁听（不在名单）",
    "already": "已签到",
    "ambiguous": "有重名",
    "unknown": "未找到",
    "not_enrolled": "不在名单",
}


def sheet_lines(text: str) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines()]
    return [line for line in lines if line][:MAX_LINES]


def match_sheet(actor, session: Session, text: str) -> list[SheetLine]:
    """Match each line among the session's expected trainees first, then the actor's roster."""
    lines = sheet_lines(text)
    expected = list(expected_trainees(session).select_related("cadre__unit").order_by())
    by_name: dict[str, list[Cadre]] = {}
    by_tail: dict[str, list[Cadre]] = {}
    by_number: dict[str, Cadre] = {}
    for t in expected:
        by_name.setdefault(t.cadre.name, []).append(t.cadre)
        by_tail.setdefault(t.cadre.id_tail, []).append(t.cadre)
        by_number[t.cadre.id_number] = t.cadre
    keys = [_key(line) for line in lines]
    roster = _roster_lookup(actor, keys, by_name, by_number)
    attended = set(children_of(session, Attendance, "session").values_list("cadre_id", flat=True))
    out = []
    for line, (kind, value) in zip(lines, keys, strict=True):
        found = _find(kind, value, by_name, by_tail, by_number, roster)
        out.append(_judge(line, found, by_number, session, attended))
    return out


def _key(line: str) -> tuple[str, str]:
    if m := ID_RE.search(line):
        return "number", m.group(0).upper()
    name = next((p for p in SPLIT_RE.split(line) if p and not p[0].isdigit()), "")
    if name:
        return "name", name[:50]
    if m := TAIL_RE.search(line):
        return "tail", m.group(0).upper()
    return "name", line[:50]


def _roster_lookup(actor, keys, by_name, by_number) -> dict:
    """One query for the names and numbers not on the list (possible walk-ins)."""
    names = {v for k, v in keys if k == "name" and v not in by_name}
    numbers = {v for k, v in keys if k == "number" and v not in by_number}
    if not names and not numbers:
        return {}
    qs = Cadre.objects.visible_to(actor).select_related("unit")
    found: dict[str, list[Cadre]] = {}
    for c in qs.filter(name__in=names):
        found.setdefault(c.name, []).append(c)
    # ID numbers are stored encrypted: the lookup goes through orgs.lookup's keyed hash.
    for number, c in cadres_by_id_numbers(qs, numbers).items():
        found[number] = [c]
    return found


def _find(kind, value, by_name, by_tail, by_number, roster) -> list[Cadre]:
    if kind == "number":
        return [by_number[value]] if value in by_number else roster.get(value, [])
    if kind == "tail":
        return by_tail.get(value, [])
    return by_name.get(value) or roster.get(value, [])


def _judge(line, found, by_number, session, attended) -> SheetLine:
    if not found:
        return SheetLine(line, "unknown", note="名单和名册中都没有找到，请核对姓名或身份证号。")
    if len(found) > 1:
        units = "、".join(sorted({c.unit.name for c in found}))
        return SheetLine(
            line, "ambiguous", note=f"有 {len(found)} 人同名（{units}），请改填身份证号。"
        )
    cadre = found[0]
    if cadre.pk in attended:
        return SheetLine(line, "already", cadre)
    if cadre.id_number in by_number:
        return SheetLine(line, "match", cadre)
    if session.allow_walk_in:
        return SheetLine(line, "walk_in", cadre)
    return SheetLine(line, "not_enrolled", cadre, note="不在本次课学员名单中，且本课次不接受旁听。")
