"""Roster filters fail closed: one invalid value is an error on the page and a refusal for the
export and the bulk-account job, never "no filter" (which would mean the whole scope)."""

import io

import openpyxl
import pytest

from ganxun.accounts.jobs import trainee_accounts_start
from ganxun.accounts.models import User
from ganxun.core.jobs import run_job
from ganxun.core.models import AuditEntry, Job
from ganxun.orgs.forms import InvalidFilter, cadre_filters
from ganxun.orgs.models import CadreCategory
from tests.factories import CadreFactory


@pytest.fixture
def roster(city):
    return {
        "town": CadreFactory(unit=city.town_a1, name="张三", rank="section_main"),
        "village": CadreFactory(unit=city.village_a1, name="李四", rank="general"),
        "county_b": CadreFactory(unit=city.town_b1, name="赵六", rank="general"),
    }


# a bookmarked link whose category was deleted since, a hand-edited rank, a unit of another
# county (out of scope for a county official), a unit id mangled by a chat app
INVALID = [
    {"category": "999999"},
    {"rank": "科员"},
    {"status": "retired-ish"},
    {"unit": "abc"},
    {"q": "张", "rank": "nonsense"},
]


@pytest.mark.parametrize("params", INVALID)
def test_an_invalid_filter_lists_nobody_and_says_why(client, admin, roster, params):
    client.force_login(admin)
    response = client.get("/cadres/", params)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in page
    for cadre in roster.values():
        assert cadre.name not in page
    # the htmx swap shows the same error
    part = client.get("/cadres/", params, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="filter-errors"' in part and "赵六" not in part


def test_a_unit_outside_the_scope_is_not_found_anywhere(client, city, roster):
    from ganxun.accounts.models import Role
    from tests.factories import make_user

    official = make_user(city.county_a, Role.UNIT_CONTACT, username="county_a")
    client.force_login(official)
    foreign = {"unit": city.town_b1.pk}
    assert client.get("/cadres/", foreign).status_code == 404
    assert client.get("/cadres/export.xlsx", foreign).status_code == 404
    assert client.post("/accounts/trainee-accounts/", foreign).status_code == 404
    assert not Job.objects.exists()


@pytest.mark.parametrize("params", INVALID)
def test_the_export_refuses_an_invalid_filter(client, admin, roster, params):
    client.force_login(admin)
    response = client.get("/cadres/export.xlsx", params)
    assert response.status_code == 302 and response["Location"].startswith("/cadres/?")
    assert not response.get("Content-Disposition")
    assert not AuditEntry.objects.filter(action="export", object_type="orgs.cadre").exists()
    page = client.get(response["Location"]).content.decode()
    assert "筛选条件无效" in page


def test_a_valid_filter_still_exports_only_what_it_names(client, admin, roster):
    client.force_login(admin)
    response = client.get("/cadres/export.xlsx", {"rank": "section_main"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert "张三" in names and "赵六" not in names and "李四" not in names


@pytest.mark.parametrize("params", INVALID)
def test_the_bulk_account_job_refuses_an_invalid_filter(
    client, admin, roster, params, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/trainee-accounts/", params)
    assert response.status_code == 302 and response["Location"].startswith("/cadres/?")
    assert not Job.objects.exists()
    assert not User.objects.filter(cadre__isnull=False).exists()


def test_a_job_queued_with_an_invalid_filter_fails_and_opens_nothing(admin, roster):
    # e.g. a category deleted between the click and the worker picking the job up
    category = CadreCategory.objects.create(code="tmp", name="临时类别")
    job = trainee_accounts_start(actor=admin, params={"category": str(category.pk)})
    category.delete()
    with pytest.raises(InvalidFilter):
        cadre_filters(admin, job.params)
    run_job.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed" and "筛选条件无效" in job.message
    assert not User.objects.filter(cadre__isnull=False).exists()


def test_the_finished_bulk_account_job_leads_to_the_cadres_it_opened(
    client, admin, roster, django_capture_on_commit_callbacks
):
    import re

    from django.urls import reverse

    # given the admin opens accounts for the 乡科级正职 in the roster
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/trainee-accounts/", {"rank": "section_main"})
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    # when the job page shows the finished job
    html = client.get(response["Location"]).content.decode()
    link = re.search(r'href="([^"]+)" data-testid="job-next"', html)
    # then it offers the roster of what it produced: 张三 now has an account, 李四 is not listed
    assert link, html
    roster_page = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "张三" in roster_page and "李四" not in roster_page
