"""A course call addressed to named units (征集单位): only their contacts are told and may
answer; the organizer sees who has not answered and reminds them, at most once a day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ganxun.accounts.models import Role
from ganxun.catalog import services
from ganxun.catalog.errors import CatalogError
from ganxun.catalog.models import CallTarget, Proposal, ProposalCall
from ganxun.core.models import AuditEntry, Notice
from ganxun.core.scoping import unscoped
from tests.factories import make_org, make_user

OUTLINE = "一、形势与要求\n二、案例剖析\n三、方法路径"


@pytest.fixture
def depts(city):
    """The city organizer and three city departments, each with its contact (卫健委 has two)."""
    health = make_org(city.city, name="市卫健委", level="department")
    develop = make_org(city.city, name="市发改委", level="department")
    finance = make_org(city.city, name="市财政局", level="department")
    return {
        "organizer": make_user(city.city, Role.ORGANIZER, username="jiaowu"),
        "health": health,
        "develop": develop,
        "finance": finance,
        "health_contacts": [
            make_user(health, Role.UNIT_CONTACT, username="wjw"),
            make_user(health, Role.UNIT_CONTACT, username="wjw2"),
        ],
        "develop_contact": make_user(develop, Role.UNIT_CONTACT, username="fgw"),
        "finance_contact": make_user(finance, Role.UNIT_CONTACT, username="czj"),
        # a trainee of 卫健委 is not a contact: no notice
        "health_trainee": make_user(health, Role.TRAINEE, username="xueyuan"),
    }


def inbox(user) -> list[str]:
    return list(Notice.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def propose_page(client, contact, call, title):
    client.force_login(contact)
    data = {"unit": contact.org.pk, "title": title, "outline": OUTLINE, "lecturer_name": "张平"}
    data.update(form="lecture", hours="3")
    return client.post(f"/catalog/calls/{call.pk}/propose/", data)


def test_a_call_to_two_units_tells_only_their_contacts_and_only_they_may_answer(client, depts):
    org = depts["organizer"]
    # when the organizer opens a call naming 卫健委 and 发改委 on the form (a searchable picker)
    client.force_login(org)
    form_page = client.get("/catalog/calls/new/").content.decode()
    assert 'data-name="target_units"' in form_page
    assert "征集单位" in form_page
    resp = client.post(
        "/catalog/calls/new/",
        {
            "title": "周末知行学堂 专业课程征集",
            "guidance": "",
            "target_units": [depts["health"].pk, depts["develop"].pk],
        },
    )
    assert resp.status_code == 302
    with unscoped():
        call = ProposalCall.objects.get(title="周末知行学堂 专业课程征集")
    # then each of their contacts has exactly one notice, the finance contact none
    for contact in [*depts["health_contacts"], depts["develop_contact"]]:
        assert inbox(contact) == ["call_opened"]
    assert inbox(depts["finance_contact"]) == []
    assert inbox(depts["health_trainee"]) == []
    # and the finance contact sees no 申报 button and is refused, beside the unit field
    client.force_login(depts["finance_contact"])
    assert "申报课程</a>" not in client.get(f"/catalog/calls/{call.pk}/").content.decode()
    resp = propose_page(client, depts["finance_contact"], call, "财政预算绩效管理")
    assert resp.status_code == 200
    assert resp.context["form"].errors["unit"] == [
        "市财政局不在“周末知行学堂 专业课程征集”的征集范围内。"
    ]
    # while a named unit's contact answers
    resp = propose_page(client, depts["develop_contact"], call, "数字化改革实务")
    assert resp.status_code == 302
    with unscoped():
        assert list(Proposal.objects.values_list("unit__name", flat=True)) == ["市发改委"]
    # and saving the call again (same units) sends nothing more
    services.call_save(
        actor=org, call=call, title=call.title, target_units=[depts["health"], depts["develop"]]
    )
    assert inbox(depts["develop_contact"]) == ["call_opened"]


def test_a_call_naming_no_unit_stays_open_to_the_whole_subtree(depts):
    call = services.call_save(actor=depts["organizer"], call=None, title="征集")
    services.proposal_submit(
        actor=depts["finance_contact"],
        call=call,
        data=services.ProposalData(
            unit=depts["finance"], title="预算", outline=OUTLINE, lecturer_name="张平"
        ),
    )
    assert inbox(depts["finance_contact"]) == []


def test_a_unit_outside_the_organizers_scope_cannot_be_named(city, depts):
    county_org = make_user(city.county_a, Role.ORGANIZER, username="county")
    with pytest.raises(CatalogError) as exc:
        services.call_save(
            actor=county_org, call=None, title="县级征集", target_units=[depts["health"]]
        )
    assert exc.value.field == "target_units"
    with unscoped():
        assert not ProposalCall.objects.filter(title="县级征集").exists()
    assert inbox(depts["health_contacts"][0]) == []


def test_the_organizer_sees_who_has_not_answered_and_reminds_only_them_once_a_day(client, depts):
    org = depts["organizer"]
    call = services.call_save(
        actor=org,
        call=None,
        title="课程征集",
        target_units=[depts["health"], depts["develop"], depts["finance"]],
    )
    propose_page(client, depts["develop_contact"], call, "数字化改革实务")
    # the organizer's page lists the two units without an answer first, with 提醒
    client.force_login(org)
    page = client.get(f"/catalog/calls/{call.pk}/")
    rows = [(r.unit.name, r.answered) for r in page.context["target_rows"]]
    assert rows == [("市卫健委", False), ("市财政局", False), ("市发改委", True)]
    assert page.content.decode().count('name="unit"') == 2
    # when they press 提醒全部未申报单位
    resp = client.post(f"/catalog/calls/{call.pk}/remind/", follow=True)
    assert "已提醒 2 个单位，发出 3 条消息。" in resp.content.decode()
    # then only the non-answering units' contacts get a reminder, one each
    for contact in depts["health_contacts"]:
        assert inbox(contact) == ["call_opened", "call_reminder"]
    assert inbox(depts["finance_contact"]) == ["call_opened", "call_reminder"]
    assert inbox(depts["develop_contact"]) == ["call_opened"]
    with unscoped():
        entry = (
            AuditEntry.objects.filter(object_type__icontains="proposalcall").order_by("id").last()
        )
    assert "市卫健委" in str(entry.changes) and "市财政局" in str(entry.changes)
    # and a second reminder the same day sends nothing
    resp = client.post(
        f"/catalog/calls/{call.pk}/remind/", {"unit": depts["finance"].pk}, follow=True
    )
    assert "今天已提醒过" in resp.content.decode()
    assert inbox(depts["finance_contact"]) == ["call_opened", "call_reminder"]
    # but the next day it goes out again, to that unit only
    CallTarget._base_manager.filter(call=call).update(
        reminded_at=timezone.now() - timedelta(days=1)
    )
    client.post(f"/catalog/calls/{call.pk}/remind/", {"unit": depts["finance"].pk})
    assert inbox(depts["finance_contact"]) == ["call_opened", "call_reminder", "call_reminder"]
    assert inbox(depts["health_contacts"][0]) == ["call_opened", "call_reminder"]


def test_a_contact_cannot_send_reminders(client, depts):
    call = services.call_save(
        actor=depts["organizer"], call=None, title="课程征集", target_units=[depts["health"]]
    )
    client.force_login(depts["develop_contact"])
    assert client.post(f"/catalog/calls/{call.pk}/remind/").status_code in (403, 404)
    assert inbox(depts["health_contacts"][0]) == ["call_opened"]
