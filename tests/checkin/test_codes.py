"""The rotating code: valid in its 30-second slot and the next, refused later or when forged."""

import pytest

from ganxun.checkin import codes
from ganxun.checkin.errors import CheckinError

T0 = 1_900_000_000.0  # a fixed clock, on a slot boundary


def test_a_code_names_its_session_and_venue():
    code = codes.make_code(41, 7, now=T0 + 3)
    scan = codes.read_code(code, now=T0 + 10)
    assert (scan.session_id, scan.venue_id) == (41, 7)


def test_a_code_scanned_just_after_it_turned_over_still_works():
    # given the code shown during the last second of its slot
    code = codes.make_code(41, 7, now=T0 + 29.9)
    # when it is read in the next slot, then it is accepted
    assert codes.read_code(code, now=T0 + 45).session_id == 41


def test_a_forwarded_photo_expires_after_the_next_slot():
    code = codes.make_code(41, 7, now=T0 + 1)
    with pytest.raises(CheckinError) as refused:
        codes.read_code(code, now=T0 + 61)
    assert refused.value.code == "code_expired"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c.replace(c.split(".")[0], "1z", 1),  # another session, same signature
        lambda c: c[:-3] + ("aaa" if not c.endswith("aaa") else "bbb"),  # signature changed
        lambda c: "garbage",
        lambda c: c.split(":")[0],  # signature removed
    ],
)
def test_a_forged_or_altered_code_is_invalid(tamper):
    code = codes.make_code(41, 7, now=T0)
    with pytest.raises(CheckinError) as refused:
        codes.read_code(tamper(code), now=T0 + 1)
    assert refused.value.code == "code_invalid"


def test_a_code_from_the_future_is_refused():
    code = codes.make_code(41, 7, now=T0 + 120)
    with pytest.raises(CheckinError) as refused:
        codes.read_code(code, now=T0)
    assert refused.value.code == "code_expired"


def test_the_qr_is_an_inline_svg_of_the_url():
    svg = codes.qr_svg("https://example.org/checkin/s/abc/")
    assert svg.startswith("<svg") and "签到二维码" in svg
