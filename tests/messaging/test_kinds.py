"""Notice kinds: registration, the one template syntax, and the guard on variables."""

import pytest

from ganxun.messaging import kinds, templates
from ganxun.messaging.kinds import NoticeKind, TemplateSyntaxError, Variable


@pytest.fixture
def temp_kinds():
    made = []

    def _register(**kw):
        kw.setdefault("label", "测试")
        kind = kinds.register(NoticeKind(**kw), replace=True)
        made.append(kind.code)
        return kind

    yield _register
    for code in made:
        kinds.unregister(code)


def test_a_registered_kind_is_found_by_code_and_listed(temp_kinds):
    kind = temp_kinds(code="t_hello", title="你好，{name}", variables=(Variable("name", "姓名"),))
    assert kinds.get("t_hello") is kind
    assert kind in kinds.all_kinds()
    assert kinds.get("t_missing") is None


def test_registering_the_same_kind_twice_is_harmless_but_another_under_its_code_is_refused(
    temp_kinds,
):
    kind = temp_kinds(code="t_twice", title="一")
    assert kinds.register(kind) is kind
    with pytest.raises(ValueError, match="already registered"):
        kinds.register(NoticeKind(code="t_twice", label="测试", title="二"))


@pytest.mark.parametrize(
    "bad",
    [
        {"code": "Bad-Code", "title": "x"},
        {"code": "t_" + "x" * 30, "title": "x"},
        {"code": "t_undeclared", "title": "{who}"},
        {"code": "t_idnumber", "title": "x", "variables": (Variable("id_number", "身份证号"),)},
        {"code": "t_phone", "title": "x", "variables": (Variable("cadre_phone", "电话"),)},
        {"code": "t_dup", "title": "x", "variables": (Variable("a", "a"), Variable("a", "a"))},
        {"code": "t_attr", "title": "{a.b}", "variables": (Variable("a", "a"),)},
    ],
)
def test_a_kind_that_breaks_the_rules_is_refused_at_registration(bad):
    with pytest.raises((ValueError, TemplateSyntaxError)):
        kinds.register(NoticeKind(label="测试", **bad))
    assert kinds.get(bad["code"]) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{a.b}", "not_simple"),
        ("{a[0]}", "not_simple"),
        ("{a!r}", "not_simple"),
        ("{a:>10}", "not_simple"),
        ("{}", "positional"),
        ("{0}", "positional"),
        ("{a", "malformed"),
        ("a}", "malformed"),
    ],
)
def test_only_plain_placeholders_are_template_syntax(text, code):
    with pytest.raises(TemplateSyntaxError) as exc:
        kinds.parse(text)
    assert exc.value.code == code


def test_substitution_fills_names_keeps_escaped_braces_and_never_formats():
    assert kinds.substitute("{a}{{b}}", {"a": "{x.__class__}"}) == "{x.__class__}{b}"
    assert kinds.placeholders("{a}{b}{a}") == ["a", "b"]


def test_every_kind_the_apps_register_passes_its_own_editor_checks(db):
    # given the kinds of enrollment, catalog, outcomes and evaluations (registered at start-up)
    codes = {k.code for k in kinds.all_kinds()}
    assert {
        "enrollment_confirmed",
        "schedule_changed",
        "quota_allocated",
        "leave_decided",
        "call_opened",
        "certificate",
        "evaluation",
    } <= codes
    # then each default is valid and its SMS, filled with the samples, fits in one segment
    for kind in kinds.all_kinds():
        texts = kind.default_texts()
        assert templates.validate(kind, **texts) == [], kind.code
        if kind.external:
            assert templates.sms_count(templates.preview(kind, **texts)[0].sms).segments == 1
