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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganxun.orgs.errors import OrgError
from ganxun.orgs.idcard import IdNumber, normalise
from ganxun.orgs.models import Cadre
from ganxun.orgs.ranks import GRADE, LEADING, OTHER, default_ranks
from ganxun.orgs.roster.errors import CellError
from ganxun.orgs.services import check_phone, clean_id_number
from ganxun.orgs.vocab import RankChoice, UnknownWord, Vocabulary

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, past Lotus's phantom 1900-02-29

# word → comparable level, from the shipped correspondence table (for lists of levels such as a
# course's target ranks; a cadre's own rank is read through the editable table, ``vocab``)
RANK_WORDS = {str(label): value for value, label in Cadre.Rank.choices}
RANK_WORDS.update(
    {
        word: row["level"]
        for row in default_ranks()
        if row["level"] and row["system"] in (LEADING, GRADE, OTHER)
        for word in (row["name"], *filter(None, row["synonyms"].split("、")))
    }
)
RANK_WORDS.update(
    {w + "级": v for w, v in list(RANK_WORDS.items()) if len(w) == 2 and w[0] in "正副"}
)
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
STATUSES.update({"调离": "transferred", "死亡": "deceased", "已故": "deceased", "病故": "deceased"})
STATUSES.update({"离休": "retired", "退职": "retired", "现职": "active", "在岗": "active"})


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
                _(
                    "身份证号末尾是 000 且校验位不正确，多半是 Excel 把它当作数字保存后丢失了后几"
                    "位；请把该列设为文本格式后重新填写完整号码"
                )
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
BIRTH_HINT = gettext_lazy("请写成 1985.03、1985-03-14 或 1985年3月 的形式")


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
    raise CellError(
        _("出生年月“%(shown)s”无法识别；%(BIRTH_HINT)s")
        % {"shown": shown, "BIRTH_HINT": BIRTH_HINT}
    )


def _birth_from_number(value, this_year: int) -> BirthMonth:
    if not math.isfinite(value):  # found by the property tests: a cell holding inf or NaN
        raise CellError(
            _("出生年月“%(value)s”无法识别；%(BIRTH_HINT)s")
            % {"value": value, "BIRTH_HINT": BIRTH_HINT}
        )
    if float(value).is_integer():
        number = int(value)
        digits = str(number)
        if len(digits) in (6, 8):
            return _birth(int(digits[:4]), {int(digits[4:6])}, digits, this_year)
        if 1 <= number < 80_000:  # an Excel date serial whose cell lost its date format
            day = EXCEL_EPOCH + timedelta(days=number)
            return _birth(day.year, {day.month}, f"{day:%Y.%m}", this_year)
        raise CellError(
            _("出生年月“%(digits)s”无法识别；%(BIRTH_HINT)s")
            % {"digits": digits, "BIRTH_HINT": BIRTH_HINT}
        )
    # 1985.03 typed as a number: Excel keeps 1985.03 but turns 1985.10 into 1985.1
    year = int(value)
    hundredths = round((value - year) * 100)
    months = {hundredths, hundredths // 10} if hundredths % 10 == 0 else {hundredths}
    return _birth(year, months, f"{value:g}", this_year)


def _birth(year: int, months: set[int], written: str, this_year: int) -> BirthMonth:
    valid = frozenset(m for m in months if 1 <= m <= 12)
    if not valid or not 1900 <= year <= this_year:
        shown = written or f"{year}.{min(months):02d}"
        raise CellError(
            _("出生年月“%(shown)s”不是有效的年月；%(BIRTH_HINT)s")
            % {"shown": shown, "BIRTH_HINT": BIRTH_HINT}
        )
    return BirthMonth(year, valid, written)


def gender(value) -> str:
    folded = fold(value).upper()
    if not folded:
        return ""
    if folded not in GENDERS:
        raise CellError(
            _("性别“%(text)s”无法识别；请填写“男”或“女”（也可留空，按身份证号判断）")
            % {"text": text(value)}
        )
    return GENDERS[folded]


def rank(value, vocab: Vocabulary) -> RankChoice | None:
    """职级 in any system and any spelling the correspondence table knows (管理８级, 专技十级,
    正科, 一级主任科员 …); None when blank."""
    try:
        return vocab.rank(text(value))
    except UnknownWord as exc:
        raise CellError(
            _("职级“%(text)s”无法识别；可填写：") % {"text": text(value)}
            + "；".join(exc.accepted)
            + _("（全角数字、“管理岗位八级”“专业技术十级”等写法也可）")
        ) from None


def personnel_category(value, vocab: Vocabulary, tags: dict[str, int]):
    """人员类别/身份 (公务员, 参公, 事业编 …); None when blank. A file exported before the
    category had its own column kept tags here: words that are all configured tags come back as
    a frozenset of tag ids, for the caller to treat as tags."""
    try:
        return vocab.category(text(value))
    except UnknownWord as exc:
        words = [w for w in _CATEGORY_SPLIT.split(text(value)) if w]
        if words and all(w in tags for w in words):
            return frozenset(tags[w] for w in words)
        raise CellError(
            _(
                "人员类别“%(text)s”无法识别；可填写：%(items)s（也可写参公、参照管理、事业编、事业"
                "等）；如需新的类别，请管理员在人员类别清单中添加"
            )
            % {"text": text(value), "items": "、".join(exc.accepted)}
        ) from None


def since(value, today: date) -> date | None:
    """任职时间: 2021.03, 2021-03-15, 2021年3月 or a date cell; the 1st when no day is given."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    else:
        folded = fold(value).split("T")[0]
        match = _YM.match(folded) or _COMPACT.match(folded)
        if match is None:
            raise CellError(
                _("任职时间“%(text)s”无法识别；请写成 2021.03 或 2021-03-15 的形式")
                % {"text": text(value)}
            )
        groups = match.groups()
        year, month = int(groups[0]), int(groups[2] if len(groups) == 4 else groups[1])
        raw_day = groups[3] if len(groups) == 4 else groups[2]
        try:
            day = date(year, month, int(raw_day) if raw_day else 1)
        except ValueError:
            raise CellError(_("任职时间“%(text)s”不是有效的日期") % {"text": text(value)}) from None
    if day > today:
        raise CellError(_("任职时间“%(text)s”晚于今天；请核对") % {"text": text(value)})
    return day


def leader_role(value) -> str:
    folded = fold(value)
    if not folded:
        return ""
    if folded not in LEADER_ROLES:
        raise CellError(
            _("班子角色“%(text)s”无法识别；请填写党委/党组书记、行政正职、副职或留空")
            % {"text": text(value)}
        )
    return LEADER_ROLES[folded]


def status(value) -> str:
    """Blank keeps the current status (在职 for new people)."""
    folded = fold(value)
    if not folded:
        return ""
    if folded not in STATUSES:
        raise CellError(
            _("状态“%(text)s”无法识别；请填写在职、调出、退休或去世（留空则不改变）")
            % {"text": text(value)}
        )
    return STATUSES[folded]


def phone(value) -> str:
    number = fold(value)
    if number.startswith("+86"):
        number = number[3:]
    if len(re.findall(r"\d{7,}", number)) > 1:
        raise CellError(
            _("“%(text)s”中有多个号码；请只保留一个手机号码，其余写到备注") % {"text": text(value)}
        )
    try:
        check_phone(number)
    except OrgError:
        raise CellError(
            _("手机号“%(text)s”只能包含数字（固定电话可用“-”）；请删除其他字符")
            % {"text": text(value)}
        ) from None
    if len(number) > 20:
        raise CellError(_("手机号超过 20 位；请核对"))
    return number


def limited(value, limit: int, what: str) -> str:
    out = text(value)
    if len(out) > limit:
        raise CellError(
            _("%(what)s超过 %(limit)s 个字（现有 %(n_out)s 个）；请精简")
            % {"what": what, "limit": limit, "n_out": len(out)}
        )
    return out


_CATEGORY_SPLIT = re.compile(r"[、,，;；/\s]+")


def categories(value, by_word: dict[str, int]) -> tuple[frozenset[int], tuple[str, ...]]:
    """Tags (年轻干部、后备干部 …): the configured ones found, and the words that are not
    configured tags — a warning with "add this tag", never a refusal."""
    found, unknown = set(), []
    for word in _CATEGORY_SPLIT.split(text(value)):
        if not word:
            continue
        if word in by_word:
            found.add(by_word[word])
        elif word not in unknown:
            unknown.append(word)
    return frozenset(found), tuple(unknown)
