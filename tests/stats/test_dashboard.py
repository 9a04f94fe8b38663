"""The dashboard's edges: an empty period says so, bad periods get a message, a node outside
the actor's subtree is not found, the annual report speaks the figures in words, and the page
runs a bounded number of queries."""

import pytest
from django.core.management import CommandError, call_command

from ganxun.accounts.models import Role
from ganxun.core.models import AuditEntry
from tests.factories import make_user
from tests.stats import dataset

pytestmark = pytest.mark.django_db


def test_an_empty_period_shows_an_empty_state_that_says_so(city, admin, client):
    # given data only in 2030
    dataset.build(city, admin)
    client.force_login(admin)
    # when 2020 is asked for
    page = client.get(f"/stats/?org={city.city.pk}&year=2020")
    html = page.content.decode()
    # then the page says there is nothing, with no charts
    assert page.status_code == 200
    assert 'data-testid="empty-state"' in html and "2020年" in html
    assert 'id="chart-units"' not in html
    # and the export and the annual report still open, saying the same
    assert client.get(f"/stats/export/?org={city.city.pk}&year=2020").status_code == 200
    annual = client.get(f"/stats/annual/?org={city.city.pk}&year=2020").content.decode()
    assert "没有培训班、课次或参训记录" in annual


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2030-05-01&end=2030-01-01", "结束日期不能早于开始日期"),
        ("start=2030-05-01", "请同时填写开始和结束日期"),
        ("start=2020-01-01&end=2029-12-31", "统计区间最长五年"),
        ("year=abc", "年度应是四位数字"),
        ("start=x&end=2030-01-01", "开始日期应写成"),
    ],
)
def test_bad_periods_get_a_clear_message_not_a_500(city, admin, client, query, message):
    client.force_login(admin)
    page = client.get(f"/stats/?{query}")
    assert page.status_code == 400 and message in page.content.decode()


def test_a_date_range_counts_only_what_falls_inside(city, admin, client):
    # given the dataset; March 2030 holds P1 (start 03-01) and S1, S2
    dataset.build(city, admin)
    client.force_login(admin)
    html = client.get("/stats/?start=2030-03-01&end=2030-03-31").content.decode()
    assert 'data-testid="h-programs">1<' in html
    assert 'data-testid="h-person-times">3<' in html
    assert 'data-testid="h-attendances">5<' in html


def test_a_county_admin_sees_its_county_but_not_the_city_or_a_sibling(city, client):
    county_admin = make_user(city.county_a, Role.ADMIN)
    client.force_login(county_admin)
    assert client.get("/stats/").status_code == 200
    assert client.get(f"/stats/?org={city.town_a1.pk}").status_code == 200
    assert client.get(f"/stats/?org={city.city.pk}").status_code == 404
    assert client.get(f"/stats/?org={city.county_b.pk}").status_code == 404
    assert client.get(f"/stats/export/?org={city.county_b.pk}").status_code == 404
    assert client.get("/stats/?org=abc").status_code == 404


def test_a_unit_contact_or_trainee_has_no_statistics(city, town_contact, client):
    client.force_login(town_contact)
    assert client.get("/stats/").status_code == 403


def test_the_annual_report_puts_the_headline_in_words(city, admin, client):
    dataset.build(city, admin)
    client.force_login(admin)
    html = client.get(f"/stats/annual/?org={city.city.pk}&year=2030").content.decode()
    assert "甬江市2030年度干部教育培训工作统计" in html
    assert "全年甬江市共举办培训班2期（1个培训项目），安排课次4次、15.5学时" in html
    assert "培训干部6人次（5人），到课8人次" in html
    assert "覆盖率80.0%" in html


def test_an_export_is_on_the_audit_log(city, admin, client):
    client.force_login(admin)
    client.get("/stats/export/?year=2030")
    entry = AuditEntry.objects.filter(action="export", object_type="stats.report").get()
    assert "2030" in entry.object_repr


def test_the_dashboard_runs_a_bounded_number_of_queries(
    city, admin, client, django_assert_max_num_queries
):
    # given the dataset and then five more towns with cadres under 东江县
    data = dataset.build(city, admin)
    client.force_login(admin)
    client.get(f"/stats/?org={city.county_a.pk}&year=2030")  # warm caches (session, user)
    # when the dashboard is opened, the number of queries does not depend on the units
    with django_assert_max_num_queries(40):
        client.get(f"/stats/?org={city.city.pk}&year=2030")
    assert data.p1


def test_the_cli_refuses_unknown_orgs_and_missing_periods(city):
    with pytest.raises(CommandError):
        call_command("stats", "--year", "2030", "--org", "NOPE")
    with pytest.raises(CommandError):
        call_command("stats")


def test_the_compliance_panel_loads_after_the_page_with_the_credits_figures(city, admin, client):
    # given the dataset; the dashboard defers the per-cadre compliance evaluation
    from ganxun.credits.selectors import compliance_summary

    dataset.build(city, admin)
    client.force_login(admin)
    page = client.get(f"/stats/?org={city.city.pk}&year=2030").content.decode()
    assert f"/stats/compliance/?org={city.city.pk}&amp;year=2030" in page
    # when the panel is fetched, it shows the same totals as the credits selector
    panel = client.get(f"/stats/compliance/?org={city.city.pk}&year=2030").content.decode()
    want = compliance_summary(city.city, 2030)
    assert f"在职干部 {want['cadres']} 人，达标 {want['compliant']} 人" in panel
    # and another county's admin cannot fetch it for the city
    client.force_login(make_user(city.county_b, Role.ADMIN))
    assert client.get(f"/stats/compliance/?org={city.city.pk}&year=2030").status_code == 404


def test_the_year_picker_keeps_the_year_shown(city, admin, client):
    client.force_login(admin)
    html = client.get("/stats/?year=2012").content.decode()
    assert '<option value="2012" selected>' in html
