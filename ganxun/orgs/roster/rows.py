"""From a spreadsheet row to a ParsedRow: clean values for the columns the file has, plus every
problem found, each tied to its Excel row number and the column header as the file writes it."""

import re
from collections.abc import Callable, Iterator
from datetime import date

from django.utils.translation import gettext as _

from ganxun.orgs.errors import OrgError
from ganxun.orgs.exports import TEMPLATE_EXAMPLE_ID
from ganxun.orgs.models import CadreCategory
from ganxun.orgs.roster import parsing
from ganxun.orgs.roster.errors import CellError, RowError
from ganxun.orgs.roster.headers import FIELDS, Header
from ganxun.orgs.roster.lrmx import career_lines
from ganxun.orgs.roster.units import UnitMatcher
from ganxun.orgs.services import check_birth_month, check_gender, clean_name
from ganxun.orgs.vocab import CategoryChoice, RankChoice, Vocabulary

# Rows below the table that are notes, not people: 填表人：…, 制表日期：…, 合计 52 人.
NOTE_ROW = re.compile(
    r"^(填表|填报|制表|审核|审批|复核|合计|小计|总计|共计|备注|注[:：]|说明|负责人|"
    r"单位负责人|主要负责人|分管领导|联系人|联系电话|电话[:：]|盖章|单位[（(]?盖章|日期[:：]|"
    r"打印|统计人|统计日期|经办人)"
)
NAME_WORDS = {word for word in FIELDS["name"]}


class ParsedRow:
    """One data row: a plain slotted class, as 100,000 of them are made per import."""

    __slots__ = ("cells", "errors", "id_number", "id_text", "row", "values", "warnings")

    def __init__(self, row: int, cells: list):
        self.row = row  # as Excel shows it
        self.cells = cells  # the original values, for the error report
        self.values: dict = {}  # field -> clean value, for the columns the file has
        self.id_number = ""  # the valid 18-digit number, or "" when it has an error
        self.id_text = ""  # as written, shown when the number is invalid
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []  # written anyway (a tag not in the list …)


class Lookups:
    """Reference data read once per import: units in scope and the category list."""

    def __init__(self, units: UnitMatcher):
        self.units = units
        self.vocab = Vocabulary()
        self.categories: dict[str, int] = {}
        self.category_names: dict[int, str] = {}
        for pk, code, name in CadreCategory.objects.values_list("id", "code", "name"):
            self.categories[name] = self.categories[code] = pk
            self.category_names[pk] = name


def parse_rows(
    rows: Iterator[tuple[int, list]],
    header: Header,
    lookups: Lookups,
    unreadable: dict[int, str] | None = None,
) -> Iterator[ParsedRow]:
    """Data rows in order; blank rows, note rows and repeated header rows are left out.

    A second row with an ID number already seen in the file is an error pointing at the first.
    A row in ``unreadable`` (a form of a zip that could not be read) is one error saying why.
    """
    seen: dict[str, int] = {}
    parsers = _cell_parsers(header, lookups)
    name_col = header.columns["name"].index
    id_col = header.columns["id_number"].index
    unreadable = unreadable or {}
    for number, cells in rows:
        if number in unreadable:
            failed = ParsedRow(number, cells)
            failed.errors.append(RowError(number, "", unreadable[number], "unreadable_form"))
            yield failed
            continue
        if _skipped(cells, name_col, id_col, header):
            continue
        parsed = _parse(number, cells, header, parsers)
        if parsed.id_number:
            first = seen.setdefault(parsed.id_number, number)
            if first != number:
                parsed.errors.append(
                    RowError(
                        number,
                        header.label("id_number"),
                        _("与第 %(first)s 行的身份证号重复，同一人只能出现一次；请删除重复的行")
                        % {"first": first},
                        "duplicate_in_file",
                    )
                )
        yield parsed


def _skipped(cells: list, name_col: int, id_col: int, header: Header) -> bool:
    name = parsing.text(cells[name_col]) if name_col < len(cells) else ""
    id_text = parsing.text(cells[id_col]) if id_col < len(cells) else ""
    if NOTE_ROW.match(name) or NOTE_ROW.match(id_text):  # 填表人：… / 联系电话：… in any column
        return True
    if name and id_text:  # the usual row: only a repeated header or the example is skipped
        return name.replace(" ", "") in NAME_WORDS or id_text == TEMPLATE_EXAMPLE_ID
    filled = [c for c in cells if c != "" and str(c).strip()]
    if not filled or any(NOTE_ROW.match(parsing.text(c)) for c in filled[:3]):
        return True
    if name.replace(" ", "") in NAME_WORDS:  # the header repeated on every printed page
        return True
    # one or two stray cells with neither name nor ID number: a note, not a person
    mapped = sum(
        1 for c in header.columns.values() if c.index < len(cells) and cells[c.index] != ""
    )
    return not name and not id_text and mapped < 3


def _parse(number: int, cells: list, header: Header, parsers: list) -> ParsedRow:
    parsed = ParsedRow(row=number, cells=cells)
    values, width = parsed.values, len(cells)
    for field_name, index, label, parse in parsers:
        try:
            values[field_name] = parse(cells[index] if index < width else "")
        except (CellError, OrgError) as exc:
            parsed.errors.append(RowError(number, label, _with_fix(exc), _code(exc)))
    _settle(parsed, header)
    idn = values.pop("id_number", None)
    if idn is None:
        parsed.id_text = _as_excel_shows(cells[header.columns["id_number"].index])
    else:
        parsed.id_number = idn.value
        _cross_check(parsed, idn, header)
    return parsed


def _settle(parsed: ParsedRow, header: Header) -> None:
    """Parsed cells into the stored fields: a rank into its table row and comparable level, a
    category into its id, unknown tags into warnings. A blank rank or category leaves the
    stored one alone."""
    values = parsed.values
    rank = values.pop("rank", None)
    if isinstance(rank, RankChoice):
        values["rank_title"], values["rank"] = rank.pk, rank.level
    category = values.pop("personnel_category", None)
    if isinstance(category, CategoryChoice):
        values["personnel_category"] = category.pk
    elif isinstance(category, frozenset) and "categories" not in header.columns:
        values["categories"] = category  # an older export: its 人员类别 column held tags
    tags = values.get("categories")
    if isinstance(tags, tuple):
        found, unknown = tags
        values["categories"] = found
        for word in unknown:
            parsed.warnings.append(
                RowError(
                    parsed.row,
                    header.label("categories"),
                    _(
                        "标签“%(word)s”不在标签清单中，本行照常导入但不带该标签；管理员可一键添加该标签"
                    )
                    % {"word": word},
                    "unknown_tag",
                )
            )
    if values.get("start") is None:
        values.pop("start", None)


def _cross_check(parsed: ParsedRow, idn, header: Header) -> None:
    """出生年月 and 性别, where given, must agree with the ID number (the shared service rules)."""
    born = parsed.values.pop("birth", None)
    try:
        if born is not None:
            check_birth_month(born.year, born.months, idn, shown=lambda: born.shown)
    except OrgError as exc:
        parsed.errors.append(RowError(parsed.row, header.label("birth"), _with_fix(exc), exc.code))
    try:
        parsed.values["gender"] = check_gender(parsed.values.get("gender", ""), idn)
    except OrgError as exc:
        parsed.errors.append(RowError(parsed.row, header.label("gender"), _with_fix(exc), exc.code))
    parsed.values["birth_date"] = idn.birth_date
    start = parsed.values.get("start")
    if start is not None and start < idn.birth_date:
        del parsed.values["start"]
        parsed.errors.append(
            RowError(
                parsed.row,
                header.label("start"),
                _("任职时间 %(start)s 早于出生日期 %(birth_date)s；请核对任职时间")
                % {"start": f"{start:%Y.%m}", "birth_date": f"{idn.birth_date:%Y.%m}"},
                "start_before_birth",
            )
        )


def _as_excel_shows(value) -> str:
    """An ID number stored as a number is shown as Excel shows it (1.10105E+17), not as digits
    that look right but lost their end."""
    if isinstance(value, float) and abs(value) >= 1e15:
        return f"{value:.5E}"
    return parsing.text(value)


def _memo(parse: Callable) -> Callable:
    """Most columns repeat a few values (性别, 职级, 单位, 出生年月…): parse each value once.
    Results are immutable; refusals are not cached and are raised again each time."""
    cache: dict = {}

    def cached(value):
        try:
            return cache[value]
        except KeyError:
            pass
        except TypeError:  # an unhashable cell value
            return parse(value)
        result = parse(value)
        if len(cache) < 50_000:
            cache[value] = result
        return result

    return cached


FIXES = {
    "required": "请填写姓名",
    "invalid_id_number": "请核对号码后重新填写",
    "birth_date_mismatch": "请核对出生年月或身份证号，以身份证为准",
    "gender_mismatch": "请核对性别或身份证号，以身份证为准",
}


def _with_fix(exc: Exception) -> str:
    message = str(getattr(exc, "message", exc)).rstrip("。")
    code = getattr(exc, "code", "")
    if "请" not in message and code in FIXES:
        message += "；" + FIXES[code]
    return message


def _code(exc: Exception) -> str:
    return getattr(exc, "code", "invalid")


def _cell_parsers(header: Header, lookups: Lookups) -> list[tuple[str, int, str, Callable]]:
    """(field, column index, header label, parser) for each column the file has."""
    today = date.today()  # once per import: date.today() costs microseconds per call
    parsers = {
        "name": _name,
        "gender": _memo(parsing.gender),
        "id_number": lambda v: parsing.id_number(v, today),
        "birth": _memo(lambda v: parsing.birth_month(v, today.year)),
        "unit": _memo(lambda v: _unit(v, lookups)),
        "position": _memo(lambda v: parsing.limited(v, 100, "职务")),
        "rank": _memo(lambda v: parsing.rank(v, lookups.vocab)),
        "personnel_category": _memo(
            lambda v: parsing.personnel_category(v, lookups.vocab, lookups.categories)
        ),
        "start": _memo(lambda v: parsing.since(v, today)),
        "categories": _memo(lambda v: parsing.categories(v, lookups.categories)),
        "leader_role": _memo(parsing.leader_role),
        "phone": parsing.phone,
        "status": _memo(parsing.status),
        "note": _memo(lambda v: parsing.limited(v, 500, "备注")),
        "career": lambda v: career_lines("" if v is None else str(v)),
    }
    return [(f, c.index, c.label, parsers[f]) for f, c in header.columns.items()]


def _name(value) -> str:
    name = clean_name(parsing.text(value))
    if len(name) > 50:
        raise CellError(
            _("姓名超过 50 个字（现有 %(n_name)s 个）；请核对是否填错了列") % {"n_name": len(name)}
        )
    return name


def _unit(value, lookups: Lookups):
    name = parsing.text(value)
    if not name:
        raise CellError(_("单位不能为空；请填写该干部所在单位的全称"))
    return lookups.units.match(name)
