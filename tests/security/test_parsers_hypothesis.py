"""Property tests for every parser that reads what people type or paste: ID numbers, roster
dates and cells, spreadsheet headers. Each either returns the right value or raises its own
documented error — never anything else, whatever the input."""

import contextlib
import string
from datetime import date, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ganxun.core.errors import DomainError
from ganxun.core.spreadsheets import SpreadsheetError, find_header
from ganxun.core.spreadsheets import normalise_label as generic_label
from ganxun.orgs.errors import OrgError
from ganxun.orgs.idcard import (
    IdNumber,
    InvalidIdNumber,
    check_char,
    make_id_number,
    mask_id_number,
    parse_id_number,
)
from ganxun.orgs.roster import parsing
from ganxun.orgs.roster.errors import CellError, RosterFileError
from ganxun.orgs.roster.headers import FIELDS, field_for, locate_header, normalise_label
from ganxun.orgs.roster.reading import Table
from ganxun.orgs.vocab import Vocabulary

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = date(2026, 11, 23)
addresses = st.integers(110000, 659999).map(lambda n: f"{n:06d}")
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(0, 999)
valid_numbers = st.builds(make_id_number, addresses, births, sequences)
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")
cell_values = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
)

# --- 身份证号 (orgs/idcard.py) -------------------------------------------------------------


@FAST
@given(valid_numbers)
def test_a_valid_number_parses_to_itself_with_its_birth_date_and_sex(number):
    idn = parse_id_number(number, today=TODAY)
    assert idn.value == number and len(idn.value) == 18
    assert idn.birth_date == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert idn.gender == ("M" if int(number[16]) % 2 else "F")
    assert idn.tail == number[-4:]


@FAST
@given(valid_numbers, st.data())
def test_how_it_was_typed_does_not_matter(number, data):
    # full-width digits, a lowercase x, spaces anywhere: the same number comes out
    typed = number.translate(FULL_WIDTH) if data.draw(st.booleans()) else number.lower()
    cut = data.draw(st.integers(0, len(typed)))
    typed = typed[:cut] + data.draw(st.sampled_from(["", " ", "\u3000", "\t"])) + typed[cut:]
    assert parse_id_number(typed, today=TODAY).value == number


@FAST
@given(valid_numbers, st.integers(0, 17), st.sampled_from(list("0123456789X")))
def test_every_single_character_error_is_caught(number, position, replacement):
    # ISO 7064 MOD 11-2 detects every single substitution
    assume(number[position] != replacement)
    assume(position == 17 or replacement != "X")
    wrong = number[:position] + replacement + number[position + 1 :]
    try:
        parse_id_number(wrong, today=TODAY)
    except InvalidIdNumber:
        return
    raise AssertionError(f"{wrong} (from {number}) was accepted")


@FAST
@given(addresses, st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), sequences)
def test_a_15_digit_number_is_upgraded_to_the_18_digit_one(address, born, sequence):
    full = make_id_number(address, born, sequence)
    old = full[:6] + full[8:17]
    assert parse_id_number(old, today=TODAY).value == full


@FAST
@given(cell_values)
def test_any_input_gives_a_valid_number_or_invalid_id_number(value):
    try:
        idn = parse_id_number(value, today=TODAY)
    except InvalidIdNumber as exc:
        assert str(exc)  # a message the user can read
        return
    assert isinstance(idn, IdNumber) and check_char(idn.value[:17]) == idn.value[17]


@FAST
@given(valid_numbers)
def test_the_mask_keeps_only_the_region_and_the_last_four(number):
    masked = mask_id_number(number)
    assert len(masked) == 18 and masked[:3] == number[:3] and masked[-4:] == number[-4:]
    assert set(masked[3:-4]) == {"*"}


# --- 出生年月 and the other roster cells (orgs/roster/parsing.py) -----------------------------


@FAST
@given(births)
def test_every_spelling_of_a_birth_month_gives_that_month(born):
    y, m = born.year, born.month
    spellings = [
        born,
        f"{y}-{m:02d}",
        f"{y}年{m}月",
        f"{y}{m:02d}",
        f"{y}-{m:02d}-{born.day:02d}",
        f"{y}/{m}/{born.day}",
        f"{y}.{m:02d}",
        f"{y}{m:02d}{born.day:02d}",
        (born - parsing.EXCEL_EPOCH).days,  # an Excel serial that lost its date format
    ]
    for spelling in spellings:
        result = parsing.birth_month(spelling, this_year=TODAY.year)
        assert result.year == y and m in result.months, spelling


@FAST
@given(cell_values)
def test_any_birth_cell_gives_a_month_none_or_a_cell_error(value):
    try:
        result = parsing.birth_month(value, this_year=TODAY.year)
    except CellError as exc:
        assert "出生年月" in str(exc)
        return
    if result is not None:
        assert 1900 <= result.year <= TODAY.year and result.months <= set(range(1, 13))


VOCAB = Vocabulary.from_defaults()


@FAST
@given(cell_values)
def test_the_other_cells_return_a_value_or_a_documented_error(value):
    parsers = [
        parsing.gender,
        lambda v: parsing.rank(v, VOCAB),
        lambda v: parsing.personnel_category(v, VOCAB, {"年轻干部": 1}),
        lambda v: parsing.since(v, TODAY),
        parsing.leader_role,
        parsing.status,
        parsing.phone,
        lambda v: parsing.limited(v, 50, "职务"),
        lambda v: parsing.id_number(v, today=TODAY),
        lambda v: parsing.categories(v, {"年轻干部": 1}),
    ]
    for parse in parsers:
        with contextlib.suppress(CellError, OrgError):
            parse(value)


@FAST
@given(st.sampled_from(list(parsing.RANK_WORDS)), st.sampled_from(["", " ", "\u3000"]))
def test_every_rank_word_is_understood_with_stray_spaces(word, space):
    assert parsing.rank(space + word + space, VOCAB).level == parsing.RANK_WORDS[word]


@FAST
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_mobile_number_survives_full_width_and_the_country_code(number):
    assert parsing.phone("+86 " + number.translate(FULL_WIDTH)) == number


# --- headers and rows of a spreadsheet (orgs/roster/headers.py, core/spreadsheets.py) --------

labels = st.text(alphabet=string.printable + "（）【】*※：身份证号码姓名单位\u3000", max_size=30)


@FAST
@given(labels)
def test_label_normalisation_is_idempotent(text):
    assert normalise_label(normalise_label(text)) == normalise_label(text)
    assert generic_label(generic_label(text)) == generic_label(text)


@FAST
@given(
    st.sampled_from([(f, w) for f, words in FIELDS.items() for w in words]),
    st.sampled_from(["", " ", "*", "※"]),
    st.sampled_from(["", "（必填）", "(18位)", "*", "："]),
)
def test_every_synonym_is_recognised_with_decoration(pair, before, after):
    field, word = pair
    spaced = " ".join(word) if len(word) > 1 else word
    assert field_for(before + spaced + after) == field


filler = st.text(alphabet="甲乙丙丁年度名册表汇总 ", min_size=0, max_size=12)


@FAST
@given(
    st.lists(filler, max_size=4),
    st.permutations(["姓名", "身份证号", "性别", "单位", "职级", "手机"]),
    st.lists(st.lists(cell_values, max_size=8), max_size=5),
)
def test_the_header_is_found_under_any_title_rows_in_any_column_order(titles, header, rows):
    table_rows = [[t] for t in titles] + [list(header)] + rows
    table = Table("名册", iter(enumerate(table_rows, start=1)), len(table_rows))
    found, rest = locate_header(table)
    assert found.row == len(titles) + 1
    assert {f: c.index for f, c in found.columns.items()} == {
        field_for(h): i for i, h in enumerate(header)
    }
    assert [cells for _, cells in rest] == rows


@FAST
@given(st.lists(st.lists(cell_values, max_size=6), max_size=8))
def test_any_sheet_gives_a_header_or_a_coded_refusal(rows):
    def table():
        return Table("表", iter(enumerate(rows, start=1)), len(rows))

    try:
        locate_header(table())
    except RosterFileError as exc:
        assert exc.code in {"empty_sheet", "no_header"}
    fields = {"title": ("课程名称", "名称"), "hours": ("学时",)}
    try:
        find_header(table(), fields, ("title",))
    except SpreadsheetError as exc:
        assert isinstance(exc, DomainError) and exc.code in {"empty_sheet", "no_header"}


def test_the_excel_epoch_matches_excel():
    assert parsing.EXCEL_EPOCH + timedelta(days=1) == date(1899, 12, 31)
