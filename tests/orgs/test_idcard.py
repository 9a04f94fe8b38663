import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ganxun.orgs.idcard import (
    InvalidIdNumber,
    check_char,
    make_id_number,
    mask_id_number,
    parse_id_number,
)


@pytest.mark.parametrize(
    "valid", ["11010519491231002X", "440524188001010014", "34052419800101001X"]
)
def test_published_samples_pass_the_check_digit(valid):
    assert parse_id_number(valid).value == valid


def test_lowercase_x_full_width_digits_and_spaces_are_normalised():
    assert parse_id_number(" １１０１０５ 19491231002x ").value == "11010519491231002X"


def test_wrong_check_digit_is_refused_with_the_expected_character():
    with pytest.raises(InvalidIdNumber, match="应为 X"):
        parse_id_number("110105194912310021")


def test_fifteen_digit_legacy_number_is_upgraded_to_eighteen():
    upgraded = parse_id_number("110105491231002")
    assert upgraded.value == "11010519491231002X"
    assert upgraded.birth_date == date(1949, 12, 31)
    assert upgraded.gender == "F"


@pytest.mark.parametrize("raw", [1.10101e17, 110105194912310020, "1.10101E+17"])
def test_numbers_mangled_by_excel_are_refused_not_guessed(raw):
    with pytest.raises(InvalidIdNumber, match="文本格式"):
        parse_id_number(raw)


@pytest.mark.parametrize(
    "raw", ["", "abc", "1101051949123100", "110105194913310026", "110105299901010011"]
)
def test_malformed_impossible_dates_and_future_births_are_refused(raw):
    with pytest.raises(InvalidIdNumber):
        parse_id_number(raw)


def test_mask_keeps_prefix_and_last_four():
    assert mask_id_number("11010519491231002X") == "110***********002X"


@given(
    st.dates(min_value=date(1930, 1, 1), max_value=date(2005, 12, 31)),
    st.integers(min_value=0, max_value=999),
)
def test_any_generated_number_round_trips(born, seq):
    value = make_id_number("330203", born, seq)
    parsed = parse_id_number(value)
    assert parsed.birth_date == born
    assert parsed.gender == ("M" if seq % 2 else "F")


@given(st.text(max_size=30))
def test_parser_never_fails_with_anything_but_invalid_id(text):
    with contextlib.suppress(InvalidIdNumber):
        parse_id_number(text)


def test_any_single_digit_change_is_detected():
    value = "11010519491231002X"
    for i in range(17):
        digit = str((int(value[i]) + 1) % 10)
        body = value[:i] + digit + value[i + 1 : 17]
        assert check_char(body) != "X" or body == value[:17]
