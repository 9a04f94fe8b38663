"""Create forms are idempotent on a submission key (issue 25, item 11): a double click, a retried
post or ten simultaneous posts of one form write once, and every repeat lands on the first result.
"""

import re
import threading
import uuid

import pytest
from django.db import connection, connections
from django.test import Client

from ganxun.budgets.models import Expense, Income
from ganxun.catalog.models import Course
from ganxun.core.scoping import unscoped
from ganxun.credits.models import CreditEntry
from ganxun.outcomes.models import FollowUp, Outcome
from tests.budgets.factories import make_budget
from tests.catalog.factories import make_theme
from tests.outcomes.conftest import setup  # noqa: F401  (the outcomes fixture)

KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')

ENTRY = {"day": "2025-05-01", "channel": 8, "title": "读书班", "hours": "3", "reason": "通知"}


def keys_on(page) -> list[str]:
    return KEY.findall(page.content.decode())


def entries(cadre) -> int:
    with unscoped():
        return CreditEntry.objects.filter(cadre=cadre).count()


def test_the_form_helper_renders_a_fresh_key_in_each_form(client, admin, city):
    client.force_login(admin)
    budget = make_budget(city.city, admin)
    # the budget page has two forms (income, expense): two different keys
    first = keys_on(client.get(f"/budgets/{budget.pk}/"))
    assert len(first) == 2 and first[0] != first[1]
    # and a reload gives new ones (a second, deliberate entry is a new submission)
    assert set(keys_on(client.get(f"/budgets/{budget.pk}/"))).isdisjoint(first)


def test_a_manual_credit_entry_posted_three_times_is_recorded_once(client, town_contact, cadres):
    cadre = cadres["inside"]
    client.force_login(town_contact)
    [key] = keys_on(client.get(f"/credits/cadre/{cadre.pk}/"))
    responses = [
        client.post(f"/credits/cadre/{cadre.pk}/new/", {**ENTRY, "submission_key": key})
        for _ in range(3)
    ]
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert len({r["Location"] for r in responses}) == 1
    assert entries(cadre) == 1
    # a second entry typed on a fresh form is a new submission, not a duplicate
    [again] = keys_on(client.get(f"/credits/cadre/{cadre.pk}/"))
    client.post(f"/credits/cadre/{cadre.pk}/new/", {**ENTRY, "submission_key": again})
    assert entries(cadre) == 2


def test_a_refused_post_frees_its_key_for_the_corrected_form(client, town_contact, cadres):
    cadre = cadres["inside"]
    client.force_login(town_contact)
    key = str(uuid.uuid4())
    url = f"/credits/cadre/{cadre.pk}/new/"
    refused = client.post(url, {**ENTRY, "hours": "30", "submission_key": key})
    assert refused.status_code == 400 and entries(cadre) == 0
    assert client.post(url, {**ENTRY, "submission_key": key}).status_code == 302
    assert entries(cadre) == 1


def test_income_and_expense_repeats_keep_one_row_and_redirect(client, admin, city):
    client.force_login(admin)
    budget = make_budget(city.city, admin)
    income = {"source": "fiscal", "amount": "5000", "date": "2030-03-01", "note": "拨款"}
    expense = {
        "category": "venue",
        "amount": "800",
        "date": "2030-03-02",
        "payee": "县委党校",
        "voucher_no": "2030-101",
    }
    k1, k2 = str(uuid.uuid4()), str(uuid.uuid4())
    for _ in range(2):
        r = client.post(f"/budgets/{budget.pk}/income/", {**income, "submission_key": k1})
        assert r.status_code == 302, r.content.decode()[:500]
        r = client.post(f"/budgets/{budget.pk}/expense/", {**expense, "submission_key": k2})
        assert r.status_code == 302, r.content.decode()[:500]
    with unscoped():
        assert Income._base_manager.filter(budget=budget).count() == 1
        assert Expense.objects.filter(budget=budget).count() == 1


def test_a_course_created_twice_opens_the_first_course(client, city):
    from ganxun.accounts.models import Role
    from tests.factories import make_user

    organizer = make_user(city.county_a, Role.ORGANIZER, username="dj_org")
    theme = make_theme(city.city, "综合能力")
    client.force_login(organizer)
    form = {"title": "公文写作", "theme": theme.pk, "form": "workshop", "hours": "3"}
    form.update(status="published", target_ranks=["general"])
    [key] = keys_on(client.get("/catalog/courses/new/"))
    first = client.post("/catalog/courses/new/", {**form, "submission_key": key})
    second = client.post("/catalog/courses/new/", {**form, "submission_key": key})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    with unscoped():
        assert Course.objects.filter(title="公文写作").count() == 1


def test_outcomes_and_follow_ups_are_filed_once(client, setup):  # noqa: F811
    client.force_login(setup.trainee)
    [key] = keys_on(client.get("/outcomes/new/"))
    outcome = {"program": setup.program.pk, "title": "老旧小区议事机制", "kind": "mechanism"}
    outcome.update(change="协商议事，投诉减少。", effect_value="12", effect_unit="个小区")
    for _ in range(2):
        r = client.post("/outcomes/new/", {**outcome, "submission_key": key})
        assert r.status_code == 302
    assert Outcome.objects.visible_to(setup.trainee).count() == 1

    client.force_login(setup.organizer)
    url = f"/outcomes/programs/{setup.program.pk}/followups/new/"
    [key] = keys_on(client.get(url))
    visit = {"visited_on": "2025-06-10", "visitors": "县委组织部 张科长", "rating": "5"}
    visit.update(cadres=[setup.chen.pk], unit=setup.chen.unit.pk, applied="用到了防汛值班。")
    locations = {client.post(url, {**visit, "submission_key": key})["Location"] for _ in range(2)}
    assert len(locations) == 1
    assert FollowUp.objects.visible_to(setup.organizer).count() == 1


def test_a_key_taken_by_another_user_shows_them_nothing(client, town_contact, admin, cadres):
    cadre = cadres["inside"]
    key = str(uuid.uuid4())
    client.force_login(town_contact)
    client.post(f"/credits/cadre/{cadre.pk}/new/", {**ENTRY, "submission_key": key})
    client.force_login(admin)
    replay = client.post(f"/credits/cadre/{cadre.pk}/new/", {**ENTRY, "submission_key": key})
    assert replay.status_code == 400 and "表单已失效" in replay.content.decode()
    assert entries(cadre) == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_posts_of_one_form_make_one_entry(town_contact, cadres):
    cadre = cadres["inside"]
    clients = []
    for _ in range(10):
        c = Client()
        c.force_login(town_contact)
        clients.append(c)
    key = str(uuid.uuid4())
    start, results, lock = threading.Barrier(10), [], threading.Lock()

    def post(c):
        try:
            start.wait()
            r = c.post(f"/credits/cadre/{cadre.pk}/new/", {**ENTRY, "submission_key": key})
            with lock:
                results.append((r.status_code, r.get("Location")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 10
    assert {status for status, _ in results} == {302}
    assert len({location for _, location in results}) == 1
    assert entries(cadre) == 1
