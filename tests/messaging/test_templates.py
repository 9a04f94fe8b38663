"""Rendering a kind: the default, an override of the org or the nearest ancestor, the editor's
checks (unknown variable, over length, personal data)."""

import pytest
from django.test import override_settings

from ganxun.accounts.models import Role
from ganxun.messaging import kinds, services_prefs, templates
from ganxun.messaging.errors import MessagingError
from ganxun.messaging.kinds import NoticeKind, Variable
from ganxun.messaging.models import TemplateOverride
from tests.factories import make_user

KIND = NoticeKind(
    code="t_class_moved",
    label="测试",
    title="调课：{session}",
    body="《{session}》改到{room}。",
    sms="《{session}》改到{room}",
    variables=(Variable("session", "课次", "开班式"), Variable("room", "教室", "报告厅")),
)


@pytest.fixture(autouse=True)
def kind():
    kinds.register(KIND, replace=True)
    yield KIND
    kinds.unregister(KIND.code)


def _override(org, **texts):
    return TemplateOverride._base_manager.create(org=org, kind=KIND.code, **texts)


def test_the_default_renders_with_the_context(db):
    text = templates.render(KIND.code, {"session": "开班式", "room": "101", "extra": "x"})
    assert text == templates.Rendered("调课：开班式", "《开班式》改到101。", "《开班式》改到101")


def test_the_nearest_override_up_the_tree_wins(city):
    # given the city words it one way and the county another
    _override(city.city, title="市：{session}", body="", sms="")
    _override(city.county_a, title="县：{session}", body="{room}", sms="短信{room}")
    ctx = {"session": "开班式", "room": "101"}
    # then a village of the county gets the county's, the other county the city's
    assert templates.render(KIND.code, ctx, org_id=city.village_a1.pk).title == "县：开班式"
    assert templates.render(KIND.code, ctx, org_id=city.village_a1.pk).sms == "短信101"
    assert templates.render(KIND.code, ctx, org_id=city.town_b1.pk).title == "市：开班式"
    # an override without an SMS text sends the title by SMS
    assert templates.render(KIND.code, ctx, org_id=city.town_b1.pk).sms == "市：开班式"
    # and no org, the default
    assert templates.render(KIND.code, ctx).title == "调课：开班式"


def test_a_renderer_looks_the_texts_up_once(city, django_assert_max_num_queries):
    _override(city.county_a, title="县：{session}")
    with django_assert_max_num_queries(2):
        render = templates.renderer(KIND.code, org_id=city.town_a1.pk)
        titles = [render({"session": str(n)}).title for n in range(50)]
    assert titles[-1] == "县：49"


def test_an_unregistered_kind_renders_title_and_body_from_the_context(db):
    text = templates.render("t_nobody", {"title": "标题", "body": "内容"})
    assert (text.title, text.body) == ("标题", "内容")


def test_an_id_number_in_a_value_is_masked_whatever_the_caller_passed(db):
    text = templates.render(KIND.code, {"session": "张三 330102199001011234", "room": "1"})
    assert "330102199001011234" not in text.title + text.body + text.sms
    assert "330102" in text.title


def test_an_unknown_variable_is_named_in_the_error():
    (problem,) = templates.validate(KIND, title="{session}{teacher}", body="", sms="")
    assert problem.code == "unknown_variable" and "{teacher}" in problem.message
    assert "{session}" in problem.message and "{room}" in problem.message  # what is allowed


def test_a_variable_that_would_carry_an_id_number_is_refused_as_such():
    (problem,) = templates.validate(KIND, title="{id_number}", body="", sms="")
    assert problem.code == "forbidden_variable" and "身份证号" in problem.message


def test_bad_syntax_is_explained():
    (problem,) = templates.validate(KIND, title="{session", body="", sms="")
    assert problem.code == "malformed"
    (problem,) = templates.validate(KIND, title="{session.pk}", body="", sms="")
    assert problem.code == "not_simple" and "session.pk" in problem.message


@override_settings(GANXUN_SMS_SIGNATURE="干部培训", GANXUN_SMS_MAX_CHARS=70)
def test_an_sms_over_one_segment_with_the_signature_is_refused_showing_count_and_segments():
    # 【干部培训】 is 6 characters: 64 of text fit, 65 do not
    assert templates.validate(KIND, title="t", body="", sms="字" * 64) == []
    (problem,) = templates.validate(KIND, title="t", body="", sms="字" * 65)
    assert problem.code == "sms_too_long" and problem.field == "sms"
    assert "71" in problem.message and "2" in problem.message and "70" in problem.message
    assert templates.sms_count("字" * 128) == templates.SmsCount(134, 2, 70)


@override_settings(GANXUN_SMS_SIGNATURE="干部培训", GANXUN_SMS_MAX_CHARS=134)
def test_the_maximum_is_configurable_and_sample_values_count():
    # {session} fills with its sample (开班式, 3 characters)
    assert templates.validate(KIND, title="t", body="", sms="字" * 120 + "{session}") == []
    (problem,) = templates.validate(KIND, title="t", body="", sms="字" * 126 + "{session}")
    assert problem.code == "sms_too_long"


@override_settings(GANXUN_SMS_SIGNATURE="干部培训", GANXUN_SMS_MAX_CHARS=70)
def test_a_rendered_sms_is_clipped_to_the_maximum(db):
    text = templates.render(KIND.code, {"session": "长" * 100, "room": "1"})
    assert len(text.sms) == 64 and text.sms.endswith("…")


def test_saving_an_override_checks_it_audits_it_and_resets(city):
    admin = make_user(city.county_a, Role.ADMIN)
    # an unknown variable: refused, nothing written
    with pytest.raises(MessagingError) as exc:
        services_prefs.template_save(
            actor=admin, org=city.county_a, kind=KIND.code, title="{teacher}"
        )
    assert exc.value.field == "title" and "{teacher}" in exc.value.message
    assert not TemplateOverride._base_manager.exists()
    # a valid one is saved for the county and applies below it
    services_prefs.template_save(
        actor=admin, org=city.county_a, kind=KIND.code, title="县：{session}"
    )
    assert templates.render(KIND.code, {"session": "x"}, org_id=city.town_a1.pk).title == "县：x"
    # not above the actor's org
    from ganxun.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services_prefs.template_save(actor=admin, org=city.city, kind=KIND.code, title="x")
    # reset: the default again
    assert services_prefs.template_reset(actor=admin, org=city.county_a, kind=KIND.code)
    assert templates.render(KIND.code, {"session": "x"}, org_id=city.town_a1.pk).title == "调课：x"
    from ganxun.core.models import AuditEntry

    assert AuditEntry._base_manager.filter(object_type__icontains="templateoverride").count() == 2


def test_a_fixed_kind_cannot_be_overridden(city):
    admin = make_user(city.city, Role.ADMIN)
    with pytest.raises(MessagingError) as exc:
        services_prefs.template_save(actor=admin, org=city.city, kind="evaluation", title="x")
    assert exc.value.code == "kind_not_editable"
