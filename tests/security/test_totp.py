"""TOTP against the RFC's own test vectors (RFC 4226 appendix D, RFC 6238 appendix B)."""

import pytest

from ganxun.accounts import totp

RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of b"12345678901234567890"


@pytest.mark.parametrize(
    "counter,code",
    [(0, "755224"), (1, "287082"), (2, "359152"), (3, "969429"), (9, "520489")],
)
def test_hotp_matches_rfc_4226(counter, code):
    assert totp.hotp(b"12345678901234567890", counter) == code


@pytest.mark.parametrize(
    "at,code",
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
    ],
)
def test_totp_matches_rfc_6238_sha1(at, code):
    assert totp.hotp(b"12345678901234567890", at // 30, digits=8) == code


def test_a_code_is_accepted_in_its_step_and_one_either_side_only():
    at = 1_000_000_000
    code = totp.totp(RFC_SECRET, at)
    assert totp.matching_step(RFC_SECRET, code, at=at) == at // 30
    assert totp.matching_step(RFC_SECRET, code, at=at + 30) == at // 30  # clock drift
    assert totp.matching_step(RFC_SECRET, code, at=at + 90) is None


def test_a_used_step_is_refused_so_a_code_cannot_be_replayed():
    at = 1_000_000_000
    code = totp.totp(RFC_SECRET, at)
    assert totp.matching_step(RFC_SECRET, code, at=at, after=at // 30) is None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_malformed_codes_never_match(typed):
    assert totp.matching_step(RFC_SECRET, typed) is None


def test_provisioning_uri_names_the_issuer_and_account():
    uri = totp.provisioning_uri(RFC_SECRET, account="admin", issuer="干训")
    assert uri.startswith("otpauth://totp/") and f"secret={RFC_SECRET}" in uri and "admin" in uri
