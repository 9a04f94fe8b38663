"""One cell at a time: the spellings offices use, turned into the roster's values.

Each function returns the clean value or raises CellError (or the shared services' OrgError)
whose message says what is wrong and how to fix it. Free text (职务, 备注, unit names) keeps its
characters: only codes, numbers and dates are folded from full width, so a record typed in the
web form and re-imported from its export compares equal.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ganxun.orgs.errors import OrgError
from ganxun.orgs.idcard import IdNumber, normalise
from ganxun.orgs.models import Cadre
from ganxun.orgs.roster.errors import CellError
from ganxun.orgs.services import check_phone, clean_id_number

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, past Lotus's phantom 1900-02-29

RANKS: dict[str, tuple[str, ...]] = {
    Cadre.Rank.BUREAU_MAIN: ("正厅", "正厅级", "正局级", "厅级正职", "一级巡视员"),
    Cadre.Rank.BUREAU_DEPUTY: ("副厅", "副厅级", "副局级", "厅级副职", "二级巡视员"),
    Cadre.Rank.COUNTY_MAIN: ("正处", "正处级", "正县", "正县级", "一级调研员", "二级调研员"),
    Cadre.Rank.COUNTY_DEPUTY: ("副处", "副处级", "副县", "副县级", "三级调研员", "四级调研员"),
    Cadre.Rank.SECTION_MAIN: ("正科", "正科级", "一级主任科员", "二级主任科员"),
    Cadre.Rank.SECTION_DEPUTY: ("副科", "副科级", "三级主任科员", "四级主任科员"),
    Cadre.Rank.GENERAL: ("一般", "科员", "办事员", "一级科员", "二级科员"),
}
GENDERS = {"男": "M", "男性": "M", "M": "M", "女": "F", "女性": "F", "F": "F"}
LEADER_ROLES = {
    "无": "",
    "否": "",
    "党委书记": "secretary",
    "党组书记": "secretary",
    "书记": "secretary",
    "正职": "head",
    **{str(label): value for value, label in Cadre.LeaderRole.choices if value},
}
STATUSES = {str(label): value for value, label in Cadre.Status.choices}


def _choices(table: dict[str, tuple[str, ...]], labels) -> dict[str, str]:
    out = {str(label): value for value, label in labels}
    out.update({word: value for value, words in table.items() for word in words})
    return out


RANK_WORDS = _choices(RANKS, Cadre.Rank.choices)


def fold(value) -> str:
    """Codes and numbers: full width to ASCII, every space out."""
    return "".join(unicodedata.normalize("NFKC", text(value)).split())


def text(value) -> str:
    """A cell as text: numbers without a trailing '.0', line breaks and runs of spaces as one."""
    if type(value) is str:  # nearly every cell: the fast path matters at 100,000 rows
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()[:10]
    return " ".join(str(value).split())


def id_number(value, today: date | None = None) -> IdNumber:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A 15-digit legacy number survives being stored as a number (Excel keeps 15 significant
        # digits); an 18-digit one never does, and clean_id_number refuses it.
        if float(value).is_integer() and 10**14 <= value < 10**15:
            value = str(int(value))
        else:
            return clean_id_number(value)
    raw = _strip_text_marker(str(value))
    try:
        return clean_id_number(raw, today=today)
    except OrgError as exc:
        digits = normalise(raw)
        if len(digits) == 18 and digits.endswith("000") and "校验位" in exc.message:
            raise CellError(
                "身份证号末尾是 000 且校验位不正确，多半是 Excel 把它当作数字保存后丢失了后几位；"
                "请把该列设为文本格式后重新填写完整号码"
            ) from None
        raise


def _strip_text_marker(raw: str) -> str:
    """'110… and ="110…" are how people force Excel to keep a number as text in a CSV."""
    raw = raw.strip()
    if raw.startswith("="):
        raw = raw[1:].strip().strip('"')
    return raw.lstrip("'`")


@dataclass(frozen=True)
class BirthMonth:
    year: int
    months: frozenset[int]  # two candidates when the text is ambiguous; the ID number decides
    written: str = ""  # as written, for messages ("" for a real date)

    @property
    def shown(self) -> str:
        return self.written or f"{self.year}.{min(self.months):02d}"


_YM = re.compile(r"^(\d{4})\s*([./\-年])\s*(\d{1,2})\s*(?:[./\-月]\s*(\d{1,2})\s*日?|月)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[./\-](\d{1,2})[./\-](\d{4})$")
BIRTH_HINT = "请写成 1985.03、1985-03-14 或 1985年3月 的形式"


def birth_month(value, this_year: int | None = None) -> BirthMonth | None:
    """出生年月 in any of the spellings rosters use; None when blank."""
    if value is None or value == "":
        return None
    this_year = this_year or date.today().year
    if isinstance(value, datetime | date):
        return _birth(value.year, {value.month}, "", this_year)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _birth_from_number(value, this_year)
    shown = text(value)
    folded = fold(shown).split("T")[0]
    folded = re.sub(r"(\d)(?:00:00(?::00)?)$", r"\1", folded)  # "1985-03-14 00:00:00" from CSV
    if match := _YM.match(folded):
        year, sep, month, day = match.groups()
        months = {int(month)}
        if sep == "." and month == "1" and day is None:
            months.add(10)  # "1985.1" is also what Excel shows for 1985.10 typed as a number
        return _birth(int(year), months, shown, this_year)
    if match := _COMPACT.match(folded):
        return _birth(int(match[1]), {int(match[2])}, shown, this_year)
    if match := _DAY_FIRST.match(folded):
        # 3/14/1985 or 14/3/1985 (locales differ): either order, the ID number decides
        return _birth(int(match[3]), {int(match[1]), int(match[2])}, shown, this_year)
    if folded.isdigit() and len(folded) == 5:
        return _birth_from_number(int(folded), this_year)
    raise CellError(f"出生年月“{shown}”无法识别；{BIRTH_HINT}")


def _birth_from_number(value, this_year: int) -> BirthMonth:
    if not math.isfinite(value):  # found by the property tests: a cell holding inf or NaN
        raise CellError(f"出生年月“{value}”无法识别；{BIRTH_HINT}")
    if float(value).is_integer():
        number = int(value)
        digits = str(number)
        if len(digits) in (6, 8):
            return _birth(int(digits[:4]), {int(digits[4:6])}, digits, this_year)
        if 1 <= number < 80_000:  # an Excel date serial whose cell lost its date format
            day = EXCEL_EPOCH + timedelta(days=number)
            return _birth(day.year, {day.month}, f"{day:%Y.%m}", this_year)
        raise CellError(f"出生年月“{digits}”无法识别；{BIRTH_HINT}")
    # 1985.03 typed as a number: Excel keeps 1985.03 but turns 1985.10 into 1985.1
    year = int(value)
    hundredths = round((value - year) * 100)
    months = {hundredths, hundredths // 10} if hundredths % 10 == 0 else {hundredths}
    return _birth(year, months, f"{value:g}", this_year)


def _birth(year: int, months: set[int], written: str, this_year: int) -> BirthMonth:
    valid = frozenset(m for m in months if 1 <= m <= 12)
    if not valid or not 1900 <= year <= this_year:
        shown = written or f"{year}.{min(months):02d}"
        raise CellError(f"出生年月“{shown}”不是有效的年月；{BIRTH_HINT}")
    return BirthMonth(year, valid, written)


def gender(value) -> str:
    folded = fold(value).upper()
    if not folded:
        return ""
    if folded not in GENDERS:
        raise CellError(
            f"性别“{text(value)}”无法识别；请填写“男”或“女”（也可留空，按身份证号判断）"
        )
    return GENDERS[folded]


def rank(value) -> str:
    folded = fold(value)
    if not folded:
        return ""
    if folded not in RANK_WORDS:
        examples = "、".join(str(label) for label in Cadre.Rank.labels)
        raise CellError(
            f"职级“{text(value)}”无法识别；请填写以下之一：{examples}（也可写正科、副处、"
            "一级主任科员等）"
        )
    return RANK_WORDS[folded]


def leader_role(value) -> str:
    folded = fold(value)
    if not folded:
        return ""
    if folded not in LEADER_ROLES:
        raise CellError(
            f"班子角色“{text(value)}”无法识别；请填写党委/党组书记、行政正职、副职或留空"
        )
    return LEADER_ROLES[folded]


def status(value) -> str:
    """Blank keeps the current status (在职 for new people)."""
    folded = fold(value)
    if not folded:
        return ""
    if folded not in STATUSES:
        raise CellError(f"状态“{text(value)}”无法识别；请填写在职、调出或退休（留空则不改变）")
    return STATUSES[folded]


def phone(value) -> str:
    number = fold(value)
    if number.startswith("+86"):
        number = number[3:]
    if len(re.findall(r"\d{7,}", number)) > 1:
        raise CellError(f"“{text(value)}”中有多个号码；请只保留一个手机号码，其余写到备注")
    try:
        check_phone(number)
    except OrgError:
        raise CellError(
            f"手机号“{text(value)}”只能包含数字（固定电话可用“-”）；请删除其他字符"
        ) from None
    if len(number) > 20:
        raise CellError("手机号超过 20 位；请核对")
    return number


def limited(value, limit: int, what: str) -> str:
    out = text(value)
    if len(out) > limit:
        raise CellError(f"{what}超过 {limit} 个字（现有 {len(out)} 个）；请精简")
    return out


_CATEGORY_SPLIT = re.compile(r"[、,，;；/\s]+")


def categories(value, by_word: dict[str, int]) -> frozenset[int]:
    found, unknown = set(), []
    for word in _CATEGORY_SPLIT.split(text(value)):
        if not word:
            continue
        if word in by_word:
            found.add(by_word[word])
        else:
            unknown.append(word)
    if unknown:
        known = "、".join(sorted({w for w in by_word if not w.isascii()})) or "（暂无）"
        raise CellError(
            f"人员类别“{'、'.join(unknown)}”不在类别清单中（现有：{known}）；"
            "请改为清单中的类别，或请管理员先添加该类别"
        )
    return frozenset(found)
