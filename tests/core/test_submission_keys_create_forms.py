"""The create forms keyed after the first round (issue 25, item 11): API tokens, accounts, credit
rules, the external-learning import, bank questions added to a test. The same form posted twice
(or ten times at once on PostgreSQL) makes one thing, and every repeat lands on it. Old keys are
purged once the double-click window is over."""

import io
import threading
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from ganxun.accounts.models import ApiToken, Role, User
from ganxun.core.models import AuditEntry, Job, SubmissionKey
from ganxun.core.scoping import unscoped
from ganxun.credits.models import Requirement
from ganxun.evaluations.services import (
    AssessmentData,
    assessment_save,
    bank_question_save,
)
from ganxun.evaluations.services import BankQuestionData as Q
from ganxun.ops.worker import HeartbeatThread
from ganxun.orgs.models import Cadre, Org, RankTitle
from tests.core.test_submission_keys import KEY, keys_on
from tests.credits.test_import import PLATFORM, good_rows, workbook
from tests.evaluations.conftest import scene  # noqa: F401  (the evaluations fixture)
from tests.factories import CadreFactory, make_user
from tests.orgs.test_roster_views import roster

RULE = {
    "name": "东江县每年30学时",
    "ranks": ["section_main"],
    "period": "year",
    "amount": "30",
    "unit": "hours",
    "source": "东江县委组织部通知",
    "sort": "1",
    "is_active": "on",
}


def twice(client, url, data):
    return [client.post(url, data) for _ in range(2)]


# --- API tokens and accounts: the secret was shown once, by the first response ----------------


def test_a_token_form_posted_twice_makes_one_token_and_the_repeat_shows_it(client, admin):
    client.force_login(admin)
    [key] = keys_on(client.get("/accounts/tokens/"))
    first, second = twice(client, "/accounts/tokens/", {"name": "签到终端", "submission_key": key})
    token = ApiToken.objects.get(user=admin)  # one token, not two
    assert 'data-testid="raw-key"' in first.content.decode()
    # the repeat cannot show the key again (only its hash is kept): it names the token instead
    page = second.content.decode()
    assert second.status_code == 200 and 'data-testid="raw-key"' not in page
    assert "密钥只在创建时显示一次" in page and f"{token.prefix}…" in page
    assert 'data-testid="made-token"' in page
    # a fresh form is a new token
    [again] = keys_on(client.get("/accounts/tokens/"))
    client.post("/accounts/tokens/", {"name": "网络学院", "submission_key": again})
    assert ApiToken.objects.filter(user=admin).count() == 2


def test_an_account_form_posted_twice_makes_one_account(client, admin, city):
    client.force_login(admin)
    [key] = keys_on(client.get("/accounts/users/new/"))
    form = {"username": "li_jw", "display_name": "李教务", "org": city.county_a.pk}
    form.update(roles=[Role.ORGANIZER], submission_key=key)
    first, second = twice(client, "/accounts/users/new/", form)
    user = User.objects.get(username="li_jw")
    assert first.status_code == 200 and "只显示这一次" in first.content.decode()
    # before: the repeat said "用户名已存在" and the password of the first was never seen again
    assert second.status_code == 302 and second["Location"] == f"/accounts/users/{user.pk}/"
    assert "请重置密码" in client.get(second["Location"]).content.decode()


# --- credits: a rule, the learning import ---------------------------------------------------


def test_a_rule_form_posted_twice_adds_one_requirement(client, city):
    county_admin = make_user(city.county_a, Role.ADMIN, username="dongjiang_admin")
    client.force_login(county_admin)
    [key] = keys_on(client.get("/credits/rules/new/"))
    responses = twice(client, "/credits/rules/new/", {**RULE, "submission_key": key})
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[1]["Location"] == responses[0]["Location"] == "/credits/rules/"
    assert Requirement.objects.filter(name=RULE["name"]).count() == 1


def test_an_import_uploaded_and_committed_twice_runs_once(
    client, town_contact, cadres, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(town_contact)
    [key] = keys_on(client.get("/credits/import/"))
    content = workbook(tmp_path, good_rows(cadres)).read_bytes()
    locations = set()
    for _ in range(2):
        upload = SimpleUploadedFile("学习记录.xlsx", content)
        with django_capture_on_commit_callbacks(execute=True):
            r = client.post("/credits/import/", {"file": upload, "platform": PLATFORM,
                                                 "submission_key": key})  # fmt: skip
        locations.add(r["Location"])
    preview = Job.objects.get(kind="learning_preview")
    assert locations == {f"/credits/import/{preview.pk}/"}
    [key] = keys_on(client.get(f"/credits/import/{preview.pk}/rows/"))
    with django_capture_on_commit_callbacks(execute=True):
        commits = twice(client, f"/credits/import/{preview.pk}/commit/", {"submission_key": key})
    job = Job.objects.get(kind="learning_commit")
    assert {r["Location"] for r in commits} == {f"/credits/import/{job.pk}/"}


# --- the roster: a unit, a cadre, trainee accounts in bulk --------------------------------------


def test_a_unit_and_a_cadre_posted_twice_are_made_once_and_the_repeat_opens_them(
    client, admin, town_contact, city
):
    client.force_login(admin)
    url = f"/orgs/{city.county_b.pk}/new/"
    [key] = keys_on(client.get(url))
    unit = {"code": "330202050", "name": "新区街道", "level": "township", "submission_key": key}
    first, second = twice(client, url, unit)
    with unscoped():
        org = Org.objects.get(code="330202050")  # before: the repeat said "代码已存在"
    assert first["Location"] == second["Location"] == f"/orgs/{org.pk}/"

    client.force_login(town_contact)
    [key] = keys_on(client.get("/cadres/new/"))
    person = {"name": "孙丽", "id_number": "11010519491231002X", "unit": city.village_a1.pk}
    rank = RankTitle.objects.get(name="一般干部").pk
    person.update(rank_title=rank, status="active", submission_key=key)
    first, second = twice(client, "/cadres/new/", person)
    with unscoped():
        cadre = Cadre.objects.get(name="孙丽")  # before: "身份证号已登记" on the repeat
    assert first["Location"] == second["Location"] == f"/cadres/{cadre.pk}/"


def test_trainee_accounts_asked_twice_start_one_job(client, city, town_contact):
    CadreFactory(unit=city.town_a1)
    client.force_login(town_contact)
    page = client.get("/cadres/").content.decode()
    key = KEY.search(page.split("trainee-accounts")[1]).group(1)
    first, second = twice(client, "/accounts/trainee-accounts/", {"submission_key": key})
    job = Job.objects.get()  # before: two jobs opening accounts for the same cadres
    assert first["Location"] == second["Location"] == f"/jobs/{job.pk}/"


def test_a_roster_uploaded_and_committed_twice_runs_once(
    client, city, town_contact, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.DATA_DIR = tmp_path / "data"
    client.force_login(town_contact)
    [key] = keys_on(client.get("/cadres/import/"))
    content = roster(tmp_path).read_bytes()
    locations = set()
    for _ in range(2):
        upload = SimpleUploadedFile("东湖镇名册.xlsx", content)
        data = {"file": upload, "root": city.town_a1.pk, "submission_key": key}
        with django_capture_on_commit_callbacks(execute=True):
            locations.add(client.post("/cadres/import/", data)["Location"])
    preview = Job.objects.get(kind="roster_preview")  # one preview, one stored upload
    assert locations == {f"/cadres/import/{preview.pk}/"}
    assert len(list((tmp_path / "data" / "imports").iterdir())) == 1
    page = client.get(f"/cadres/import/{preview.pk}/rows/").content.decode()
    key = KEY.search(page.split("/commit/")[1]).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        commits = twice(client, f"/cadres/import/{preview.pk}/commit/", {"submission_key": key})
    job = Job.objects.get(kind="roster_commit")
    assert {r["Location"] for r in commits} == {f"/cadres/import/{job.pk}/"}


# --- tests (测评): questions picked from the bank ----------------------------------------------


def draft_with_bank(scene):  # noqa: F811
    test = assessment_save(
        actor=scene.organizer,
        program=scene.program,
        data=AssessmentData(kind="pre", title="前测", pass_mark=60),
    )
    owner = scene.organizer.org
    questions = [
        bank_question_save(actor=scene.organizer, owner=owner, data=data)
        for data in (
            Q("single", "应急预案分几级？", ["二级", "四级", "六级"], [1]),
            Q("truefalse", "台风来临前应提前转移群众。", [], [0]),
        )
    ]
    return test, questions


def question_changes(test) -> int:
    return AuditEntry.objects.filter(
        object_type="evaluations.assessment", object_id=str(test.pk), changes__has_key="questions"
    ).count()


def test_bank_questions_added_twice_are_added_once(client, scene):  # noqa: F811
    test, questions = draft_with_bank(scene)
    client.force_login(scene.organizer)
    page = client.get(f"/evaluations/tests/{test.pk}/").content.decode()
    key = KEY.search(page.split('data-testid="bank-pick"')[1]).group(1)
    url = f"/evaluations/tests/{test.pk}/questions/"
    first, second = twice(client, url, {"q": [q.pk for q in questions], "submission_key": key})
    assert first["Location"] == second["Location"] == f"/evaluations/tests/{test.pk}/"
    page = client.get(second["Location"]).content.decode()
    # before: "已加入 2 道题" twice and a second audit entry for the same pick
    assert page.count("已加入 2 道题") == 1 and "未重复添加" in page
    assert question_changes(test) == 1
    with unscoped():
        assert sorted(test.questions.values_list("pk", flat=True)) == [q.pk for q in questions]


# --- ten posts at once on PostgreSQL ------------------------------------------------------


def ten_at_once(user, url, data) -> list[tuple[int, str | None]]:
    clients = []
    for _ in range(10):
        c = Client()
        c.force_login(user)
        clients.append(c)
    start, results, lock = threading.Barrier(10), [], threading.Lock()

    def post(c):
        try:
            start.wait()
            r = c.post(url, data)
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
    return results


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_token_posts_make_one_token(admin):
    key = str(uuid.uuid4())
    results = ten_at_once(admin, "/accounts/tokens/", {"name": "签到终端", "submission_key": key})
    assert {status for status, _ in results} == {200}
    assert ApiToken.objects.filter(user=admin).count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_rule_posts_make_one_rule(city):
    county_admin = make_user(city.county_a, Role.ADMIN, username="dongjiang_admin")
    results = ten_at_once(
        county_admin, "/credits/rules/new/", {**RULE, "submission_key": str(uuid.uuid4())}
    )
    assert set(results) == {(302, "/credits/rules/")}
    assert Requirement.objects.filter(name=RULE["name"]).count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_bank_picks_add_once(scene):  # noqa: F811
    test, questions = draft_with_bank(scene)
    data = {"q": [q.pk for q in questions], "submission_key": str(uuid.uuid4())}
    results = ten_at_once(scene.organizer, f"/evaluations/tests/{test.pk}/questions/", data)
    assert set(results) == {(302, f"/evaluations/tests/{test.pk}/")}
    assert question_changes(test) == 1


# --- purge -----------------------------------------------------------------------------------


def claimed(age: timedelta) -> SubmissionKey:
    key = SubmissionKey.objects.create(key=uuid.uuid4(), path="/credits/rules/new/")
    SubmissionKey.objects.filter(pk=key.pk).update(created_at=timezone.now() - age)
    return key


def test_the_purge_command_drops_keys_past_the_window_and_keeps_fresh_ones(db):
    old, fresh = claimed(timedelta(days=1, minutes=1)), claimed(timedelta(hours=23))
    out = io.StringIO()
    call_command("purge-submission-keys", stdout=out)
    assert "已删除 1 条" in out.getvalue()
    assert list(SubmissionKey.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not SubmissionKey.objects.filter(pk=old.pk).exists()


def test_the_worker_purges_old_keys_hourly_without_an_operator(db, settings):
    settings.GANXUN_SUBMISSION_KEY_DAYS = 2
    old, fresh = claimed(timedelta(days=2, minutes=1)), claimed(timedelta(days=1))
    heartbeat = HeartbeatThread("w-test")  # tick() runs housekeep() after the job recovery
    heartbeat.housekeep()
    assert list(SubmissionKey.objects.values_list("pk", flat=True)) == [fresh.pk]
    # within the hour the next beats leave the table alone
    later = claimed(timedelta(days=3))
    heartbeat.housekeep()
    assert SubmissionKey.objects.filter(pk=later.pk).exists()
    assert not SubmissionKey.objects.filter(pk=old.pk).exists()
