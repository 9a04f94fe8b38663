"""List pages and exports run a bounded number of queries whatever the row count."""

import pytest
from django.urls import reverse

from ganxun.accounts.models import Role
from ganxun.core.audit import audit_record
from ganxun.core.resources import REGISTRY
from tests.factories import CadreFactory, CategoryFactory, make_user
from tests.resource_samples import SAMPLES, registered

PAGES = [
    "/",
    "/cadres/",
    "/cadres/export.xlsx",
    "/accounts/users/",
    "/audit/",
    "/orgs/",
    "/api/cadres",
]


def grow(city, n):
    cats = [CategoryFactory(code=f"c{i}", name=f"类别{i}") for i in range(3)]
    for i in range(n):
        cadre = CadreFactory(unit=city.village_a1 if i % 2 else city.town_b1)
        cadre.categories.set(cats[: i % 3 + 1])
        user = make_user(city.town_a1, Role.TRAINEE, Role.LECTURER)
        audit_record(actor=user, action="create", obj=cadre, changes={"name": [None, cadre.name]})


def count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_queries_do_not_grow_with_rows(client, admin, city, url, django_assert_max_num_queries):
    client.force_login(admin)
    grow(city, 3)
    few = count_queries(client, url, django_assert_max_num_queries)
    grow(city, 30)
    many = count_queries(client, url, django_assert_max_num_queries)
    assert many <= few, f"{url}: {few} queries with 3 rows, {many} with 33"
    assert many <= 20


# --- every registered resource's list (ganxun.core.resources.REGISTRY) ----------------------


@pytest.mark.parametrize("key", registered())
def test_resource_lists_do_not_grow_with_rows(client, admin, city, key):
    resource = REGISTRY[key]
    url = reverse(resource.url("list"))
    client.force_login(admin)
    for _i in range(3):
        SAMPLES[key](city.county_a)
    few = count_queries(client, url, None)
    for _i in range(30):
        SAMPLES[key](city.county_a)
    many = count_queries(client, url, None)
    assert many <= few, f"{url}: {few} queries with 3 rows, {many} with 33"
    assert many <= 25


# --- the demo city's heaviest pages (issue 19 item 4) -----------------------------------------

DEMO_PAGES = [
    "/",
    "/credits/org/{city}/?year={year}",
    "/stats/",
    "/stats/annual/",
    "/stats/compliance/",
    "/enrollment/quotas/{quota}/",
    "/needs/{survey}/respondents/slips/",
    "/needs/{survey}/analysis/",
    "/checkin/sessions/{session}/absences/",
    "/checkin/sessions/{session}/board/",
    "/cadres/?status=active",
]
DEMO_BUDGET = 30  # queries per page, whatever the size of the city


def demo_urls() -> list[str]:
    from django.utils import timezone

    from ganxun.core.scoping import unscoped
    from ganxun.enrollment.models.quotas import Quota
    from ganxun.needs.models import NeedsSurvey
    from ganxun.orgs.models import Org
    from ganxun.programs.models import Session

    with unscoped():
        ids = {
            "city": Org.objects.get(parent=None).pk,
            "year": timezone.localdate().year,
            "quota": Quota.objects.order_by("pk").first().pk,
            "survey": NeedsSurvey.objects.order_by("pk").first().pk,
            "session": Session.objects.order_by("pk").first().pk,
        }
    return [url.format(**ids) for url in DEMO_PAGES]


def grow_demo(n: int) -> None:
    """``n`` more cadres spread over the city, each a trainee of the demo program, present at
    its first session, with hours in the ledger and invited to the needs survey."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from ganxun.accounts.models import User
    from ganxun.checkin.models import Attendance
    from ganxun.core.scoping import unscoped
    from ganxun.credits.models import CreditEntry
    from ganxun.needs import services as needs
    from ganxun.needs.models import NeedsSurvey
    from ganxun.needs.targeting import Targeting
    from ganxun.orgs.models import Org
    from ganxun.programs.models import ProgramTrainee, Session

    with unscoped():
        units = list(Org.objects.exclude(parent=None).order_by("?")[:n])
        session = Session.objects.order_by("pk").first()
        survey = NeedsSurvey.objects.order_by("pk").first()
        admin = User.objects.get(username="admin")
        for i in range(n):
            cadre = CadreFactory(unit=units[i % len(units)])
            ProgramTrainee.objects.create(program=session.program, cadre=cadre)
            if i % 2:
                Attendance.objects.create(
                    session=session,
                    cadre=cadre,
                    checked_in_at=session.starts_at + timedelta(minutes=i % 20 - 10),
                )
            CreditEntry.objects.create(
                cadre=cadre,
                day=timezone.localdate().replace(month=1, day=2),
                hours=Decimal(i % 40),
                channel=1 + i % 3,
                title="网络学院",
                source="manual",
                ref_key=f"grow-{cadre.pk}",
            )
        needs.respondents_add(actor=admin, survey=survey, criteria=Targeting())


@pytest.mark.django_db
def test_the_demo_pages_keep_their_query_budget_as_the_city_grows(client):
    """The heaviest pages as the city administrator: the same number of queries (at most
    ``DEMO_BUDGET``) for a small demo city and for one with 60 more cadres, trainees,
    attendances, ledger rows and respondents."""
    from io import StringIO

    from django.core.management import call_command

    from ganxun.accounts.models import User

    call_command("demo", cadres=900, seed=7, stdout=StringIO())
    client.force_login(User.objects.get(username="admin"))
    urls = demo_urls()
    grow_demo(5)
    few = {url: count_queries(client, url, None) for url in urls}
    grow_demo(60)
    many = {url: count_queries(client, url, None) for url in urls}
    grown = {url: (few[url], many[url]) for url in urls if many[url] > few[url]}
    assert not grown, f"queries grew with the rows (few, many): {grown}"
    over = {url: n for url, n in many.items() if n > DEMO_BUDGET}
    assert not over, f"over the budget of {DEMO_BUDGET} queries: {over}"
