"""Which channels a person gets: configured on this server, allowed by the org (inherited down
the tree), chosen by the person; official notices always reach them."""

import sys
import types

import pytest

from ganxun.accounts.models import Role
from ganxun.core.errors import PermissionDenied
from ganxun.messaging import kinds, preferences, services_prefs
from ganxun.messaging.errors import MessagingError
from ganxun.messaging.kinds import NoticeKind
from ganxun.messaging.models import OrgChannelPolicy, WorkAppBinding
from ganxun.messaging.outbox import To
from tests.factories import CadreFactory, make_user

PLAIN = NoticeKind(code="t_plain", label="测试", title="普通")
OFFICIAL = NoticeKind(code="t_official", label="测试", title="正式", official=True)
INAPP_ONLY = NoticeKind(code="t_inapp", label="测试", title="站内", external=False)


@pytest.fixture(autouse=True)
def registered():
    for k in (PLAIN, OFFICIAL, INAPP_ONLY):
        kinds.register(k, replace=True)
    yield
    for k in (PLAIN, OFFICIAL, INAPP_ONLY):
        kinds.unregister(k.code)


@pytest.fixture
def configured(monkeypatch):
    """The server has SMS, e-mail and 钉钉 configured (the channels' registry, faked)."""
    module = types.ModuleType("ganxun.messaging.channels.registry")
    module.configured_channels = lambda: {"email": object(), "sms": object(), "dingtalk": object()}
    monkeypatch.setitem(sys.modules, "ganxun.messaging.channels.registry", module)
    return module


@pytest.fixture
def person(city):
    cadre = CadreFactory(unit=city.village_a1, phone="13800001111")
    user = make_user(city.village_a1, Role.TRAINEE, cadre=cadre)
    user.email = "zhang@example.gov.cn"
    user.save()
    return user


def test_without_a_channel_registry_nothing_beyond_in_app_is_offered(person):
    # the channels' registry is absent or configures nothing: in-app only, even official
    assert preferences.channels_for(To.user(person), kind=OFFICIAL.code) == []


def test_only_configured_channels_and_by_default_all_of_them(configured, person):
    assert preferences.configured() == ["sms", "dingtalk", "email"]
    assert preferences.channels_for(To.user(person), kind=PLAIN.code) == [
        "sms",
        "dingtalk",
        "email",
    ]


def test_in_app_only_and_unregistered_kinds_never_leave_the_platform(configured, person):
    assert preferences.channels_for(To.user(person), kind=INAPP_ONLY.code) == []
    assert preferences.channels_for(To.user(person), kind="t_nobody") == []


def test_the_nearest_policy_up_the_tree_applies_and_a_lower_one_overrides(configured, person, city):
    admin = make_user(city.city, Role.ADMIN)
    # given the city allows SMS only
    services_prefs.channel_policy_save(actor=admin, org=city.city, channels=["sms"])
    assert preferences.channels_for(To.user(person), kind=PLAIN.code) == ["sms"]
    # when the town allows e-mail and 企业微信 (not configured here)
    services_prefs.channel_policy_save(actor=admin, org=city.town_a1, channels=["email", "wecom"])
    # then the village below the town gets e-mail only; the other county keeps SMS
    assert preferences.channels_for(To.user(person), kind=PLAIN.code) == ["email"]
    other = make_user(city.town_b1, Role.TRAINEE)
    assert preferences.channels_for(To.user(other), kind=PLAIN.code) == ["sms"]
    # when the town goes back to inheriting
    services_prefs.channel_policy_save(actor=admin, org=city.town_a1, channels=None)
    assert preferences.channels_for(To.user(person), kind=PLAIN.code) == ["sms"]
    assert preferences.inherited_policy(city.town_a1.pk) == (["sms"], city.city.pk)


def test_a_person_chooses_within_what_the_org_allows(configured, person, city):
    services_prefs.preference_save(actor=person, channels=["email", "dingtalk"])
    assert preferences.channels_for(To.user(person), kind=PLAIN.code) == ["dingtalk", "email"]
    # a per-kind choice wins for that kind
    services_prefs.preference_save(actor=person, channels=["sms"], kind=PLAIN.code)
    assert preferences.channels_for(To.user(person), kind=PLAIN.code) == ["sms"]
    assert preferences.channels_for(To.user(person), kind=OFFICIAL.code) == ["dingtalk", "email"]
    # the org closes e-mail: the choice is kept, the channel is not used
    admin = make_user(city.city, Role.ADMIN)
    services_prefs.channel_policy_save(actor=admin, org=city.city, channels=["sms", "dingtalk"])
    assert preferences.channels_for(To.user(person), kind=OFFICIAL.code) == ["dingtalk"]
    # following the general choice again
    assert services_prefs.preference_clear(actor=person, kind=PLAIN.code)
    assert preferences.channels_for(To.user(person), kind=PLAIN.code) == ["dingtalk"]


def test_an_official_notice_reaches_someone_who_turned_everything_off(configured, person):
    services_prefs.preference_save(actor=person, channels=[])
    assert preferences.channels_for(To.user(person), kind=PLAIN.code) == []
    # official: their first allowed channel that has an address (SMS: the cadre's phone)
    assert preferences.channels_for(To.user(person), kind=OFFICIAL.code) == ["sms"]
    # no phone: the next one that can reach them (e-mail; 钉钉 is not bound)
    person.cadre.phone = ""
    person.cadre.save()
    assert preferences.channels_for(To.user(person), kind=OFFICIAL.code) == ["email"]


def test_a_roster_cadre_without_an_account_gets_the_allowed_channels(configured, city):
    cadre = CadreFactory(unit=city.town_b1, phone="13900002222")
    assert preferences.channels_for(To.cadre(cadre.pk), kind=PLAIN.code) == [
        "sms",
        "dingtalk",
        "email",
    ]
    assert preferences.address_for(To.cadre(cadre.pk), "sms") == "13900002222"
    assert preferences.address_for(To.cadre(cadre.pk), "email") == ""


def test_addresses_come_from_the_cadre_the_account_and_the_bindings(person, city):
    admin = make_user(city.city, Role.ADMIN)
    to = To.user(person)
    assert preferences.address_for(to, "sms") == "13800001111"
    assert preferences.address_for(to, "email") == "zhang@example.gov.cn"
    assert preferences.address_for(to, "dingtalk") == ""
    # a binding of the cadre serves the account too; the account's own wins
    services_prefs.work_app_bind(
        actor=admin, cadre=person.cadre, channel="dingtalk", app_user_id="ding-cadre"
    )
    assert preferences.address_for(to, "dingtalk") == "ding-cadre"
    services_prefs.work_app_bind(
        actor=admin, user=person, channel="dingtalk", app_user_id="ding-user"
    )
    assert preferences.address_for(to, "dingtalk") == "ding-user"
    # an empty id removes the binding
    services_prefs.work_app_bind(actor=admin, user=person, channel="dingtalk", app_user_id="")
    assert WorkAppBinding._base_manager.filter(user=person).count() == 0


def test_a_chooser_reads_a_batch_in_bounded_queries(
    configured, city, django_assert_max_num_queries
):
    people = [make_user(city.town_a1, Role.TRAINEE) for _ in range(20)]
    cadres = [CadreFactory(unit=city.town_b1) for _ in range(20)]
    tos = [To.user(u) for u in people] + [To.cadre(c.pk) for c in cadres]
    with django_assert_max_num_queries(10):
        chooser = preferences.Chooser(kind=PLAIN.code)
        chooser.prefetch(tos)
        result = [chooser.channels(t) for t in tos]
    assert all(r == ["sms", "dingtalk", "email"] for r in result)


def test_only_administrators_of_the_subtree_set_policies_and_known_channels(city):
    county_admin = make_user(city.county_a, Role.ADMIN)
    organizer = make_user(city.city, Role.ORGANIZER)
    with pytest.raises(PermissionDenied):
        services_prefs.channel_policy_save(actor=county_admin, org=city.city, channels=["sms"])
    with pytest.raises(PermissionDenied):
        services_prefs.channel_policy_save(actor=organizer, org=city.city, channels=["sms"])
    with pytest.raises(MessagingError) as exc:
        services_prefs.channel_policy_save(actor=county_admin, org=city.county_a, channels=["fax"])
    assert exc.value.code == "unknown_channel"
    assert not OrgChannelPolicy._base_manager.exists()
