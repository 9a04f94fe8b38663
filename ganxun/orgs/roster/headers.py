"""Finding the header under the title rows, and mapping the words offices use to our fields.

Real rosters put one or more (merged) title rows above the header, and often a two-row header
("工作信息" over 单位/职务/职级). Each of the first rows is tried alone and together with the row
below it; the candidate that recognises the most fields wins, the smaller one on a tie.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice

from django.utils.translation import gettext as _

from ganxun.orgs.roster.errors import RosterFileError
from ganxun.orgs.roster.reading import Table

# field -> the words used for it; the first is our canonical header (the template's and the
# export's), in ROSTER_HEADERS order.
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "干部姓名", "人员姓名"),
    "gender": ("性别",),
    "id_number": (
        "身份证号",
        "公民身份号码",
        "身份证号码",
        "公民身份证号码",
        "身份证",
        "身份证件号码",
        "证件号码",
        "身份号码",
    ),
    "birth": ("出生年月", "出生日期", "出生年月日", "出生时间", "生日"),
    "unit": ("单位", "工作单位", "所在单位", "单位名称", "现工作单位", "所属单位"),
    "position": ("现任职务", "职务", "现职务", "职务名称"),
    "rank": (
        "职级",
        "级别",
        "职务级别",
        "职级层次",
        "现职级",
        "职务职级",
        "岗位等级",
        "岗位级别",
        "现职级岗位等级",
    ),
    "personnel_category": (
        "人员类别",
        "身份",
        "人员身份",
        "干部身份",
        "人员性质",
        "编制类别",
        "编制性质",
        "人员类型",
    ),
    "categories": ("标签", "干部标签", "人员标签", "类别", "干部类别"),
    "start": ("任职时间", "任现职时间", "任现职务时间", "任现职级时间", "任职日期", "任现职日期"),
    "leader_role": ("班子角色",),
    "phone": ("手机", "联系电话", "手机号码", "手机号", "电话", "电话号码", "联系方式"),
    "status": ("状态", "在职状态", "人员状态"),
    "note": ("备注",),
    "career": ("简历", "工作简历", "个人简历"),  # dated lines, as 任免审批表 write them
}
REQUIRED = ("name", "id_number")
HEAD_SCAN = 30  # title rows above the header are few; data starts well before this
_BRACKETED = re.compile(r"[(\[【].*?[)\]】]")
_DECORATION = re.compile(r"^[*※]+|[*※:]+$")


def normalise_label(value) -> str:
    """'身份证号码（18位）*' and '身 份 证 号' both become '身份证号码' / '身份证号'."""
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(text.split())
    text = _BRACKETED.sub("", text)
    return _DECORATION.sub("", text)


_BY_LABEL = {normalise_label(word): field for field, words in FIELDS.items() for word in words}


def field_for(value) -> str | None:
    return _BY_LABEL.get(normalise_label(value)) if value != "" else None


@dataclass(frozen=True)
class Column:
    index: int
    label: str  # the header as written in the file, for error messages


DERIVED = {"rank_title": "rank", "birth_date": "birth"}  # field -> the column it comes from


@dataclass
class Header:
    sheet: str
    row: int  # Excel row number of the (last) header row
    columns: dict[str, Column]
    labels: list[str]  # every column's header text, for the error report

    def label(self, field: str) -> str:
        """The header a field was read from: the 职级 column gives both the rank title and the
        level (``rank``), the 出生年月 column the birth date."""
        source = DERIVED.get(field, field)
        column = self.columns.get(field) or self.columns.get(source)
        return column.label if column else FIELDS.get(source, (field,))[0]


def locate_header(table: Table) -> tuple[Header, Iterator[tuple[int, list]]]:
    """The header and the rows below it, or RosterFileError (empty sheet / no header)."""
    probe = list(islice(table.rows, HEAD_SCAN))
    best = None
    for i, (_row, cells) in enumerate(probe):
        below = probe[i + 1][1] if i + 1 < len(probe) else None
        for height, mapping in ((1, _map_one(cells)), (2, _map_two(cells, below))):
            if mapping is None or not all(f in mapping for f in REQUIRED):
                continue
            key = (len(mapping), -height, -i)
            if best is None or key > best[0]:
                best = (key, i, height, mapping)
    if best is None:
        _refuse(table, probe)
    _, i, height, mapping = best
    last = i + height - 1
    labels = _labels(probe[i][1], probe[last][1])
    header = Header(sheet=table.name, row=probe[last][0], columns=mapping, labels=labels)
    return header, chain(probe[last + 1 :], table.rows)


def _map_one(cells: list) -> dict[str, Column]:
    mapping: dict[str, Column] = {}
    for index, value in enumerate(cells):
        field = field_for(value)
        if field and field not in mapping:  # a second 电话 column is left alone
            mapping[field] = Column(index, str(value).strip())
    return mapping


def _map_two(upper: list, lower: list | None) -> dict[str, Column] | None:
    """A two-row header: each column is named by its lower cell, or by the upper one where the
    lower is blank (a cell merged down over both rows, or left empty)."""
    if lower is None:
        return None
    mapping: dict[str, Column] = {}
    for index in range(max(len(upper), len(lower))):
        for value in (_at(lower, index), _at(upper, index)):
            field = field_for(value)
            if field:
                if field not in mapping:
                    mapping[field] = Column(index, str(value).strip())
                break
    return mapping


def _labels(upper: list, lower: list) -> list[str]:
    return [
        str(_at(lower, i) or _at(upper, i) or "").strip()
        for i in range(max(len(upper), len(lower)))
    ]


def _at(cells: list, index: int):
    return cells[index] if index < len(cells) else ""


def _refuse(table: Table, probe: list) -> None:
    filled = [cells for _, cells in probe if any(str(c).strip() for c in cells)]
    if not filled:
        raise RosterFileError(
            "empty_sheet", _("工作表“%(name)s”是空的，没有可导入的数据。") % {"name": table.name}
        )
    expected = "、".join(FIELDS[f][0] for f in FIELDS)
    raise RosterFileError(
        "no_header",
        _(
            "在工作表“%(name)s”的前 %(HEAD_SCAN)s 行中没有找到表头。表头至少要有“姓名”和“身份证号"
            "”（或“公民身份号码”“身份证号码”）两列；可识别的列有：%(expected)s。请对照导入模板修改"
            "表头后再导入。"
        )
        % {"name": table.name, "HEAD_SCAN": HEAD_SCAN, "expected": expected},
    )
