"""`ganxun demo`: the demo city's shape, its people's ID numbers, its leadership teams, its
logins, and that it is deterministic and refuses to write over existing data."""

import hashlib
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F
from django.utils import timezone

from ganxun.accounts.models import User
from ganxun.catalog.models import Course, Lecturer
from ganxun.core.models import AuditEntry
from ganxun.core.scoping import unscoped
from ganxun.demo.city import DEMO_PASSWORD, build_plan
from ganxun.demo.people import age_at
from ganxun.demo.places import village_count
from ganxun.needs.models import Respondent
from ganxun.orgs.idcard import parse_id_number
from ganxun.orgs.models import Cadre, Org
from ganxun.orgs.services import _insert_org
from ganxun.programs.models import OutlineStatus, Program, ProgramTrainee, Session
from ganxun.surveys.models import Questionnaire

SMALL = 4_000  # enough for every unit's secretary and head, small enough to stay fast


@pytest.fixture
def demo_output(db) -> str:
    """Given an empty database, when `ganxun demo --cadres 4000` runs: what it printed."""
    out = StringIO()
    call_command("demo", cadres=SMALL, stdout=out)
    return out.getvalue()


@pytest.fixture
def orgs(demo_output, unscoped_block) -> dict[int, Org]:
    return {org.pk: org for org in Org.objects.all()}


def printed_logins(output: str) -> dict[str, str]:
    """username → password, read back from the printed table (rows under the dashed rule)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    rows = [line.split() for line in lines[start:] if line and "也可用身份证号" not in line]
    return {row[1]: row[2] for row in rows}


def test_the_tree_has_one_city_ten_counties_120_townships_villages_and_departments(orgs):
    # when the demo has run (fixture), then the levels have the planned sizes
    levels = Counter(org.level for org in orgs.values())
    assert levels["city"] == 1 and levels["county"] == 10 and levels["township"] == 120
    assert levels["village"] == village_count(SMALL)
    city = next(org for org in orgs.values() if org.level == "city")
    city_departments = [
        o for o in orgs.values() if o.parent_id == city.pk and o.level == "department"
    ]
    assert len(city_departments) == 30
    assert {"市委组织部", "市委党校", "市财政局"} <= {o.name for o in city_departments}
    # and every county has 8–16 townships and 12–15 departments of its own
    for county in (o for o in orgs.values() if o.level == "county"):
        children = Counter(o.level for o in orgs.values() if o.parent_id == county.pk)
        assert 8 <= children["township"] <= 16
        assert 12 <= children["department"] <= 15
    # and codes look like administrative codes: 6 digits, 9 for townships, 12 for villages
    assert city.code == "330200"
    assert all(len(o.code) == 9 for o in orgs.values() if o.level == "township")
    assert all(len(o.code) == 12 for o in orgs.values() if o.level == "village")


def test_a_full_size_plan_has_1500_villages_and_50000_people_mostly_at_the_grassroots():
    # when the default city is planned (in memory, no database)
    plan = build_plan()
    levels = Counter(org.level for org in plan.orgs)
    kinds = {org.pk: org.kind for org in plan.orgs}
    # then it has the seed articles' scale
    assert levels["village"] == 1500 and levels["township"] == 120 and len(plan.cadres) == 50_000
    # and most people work in townships, villages and county departments
    grassroots = {"town", "xiang", "street", "village", "community", "county_dept"}
    where = Counter(kinds[c.unit_pk] in grassroots for c in plan.cadres)
    assert where[True] > 0.75 * len(plan.cadres)
    # and about 30 % are women, most are 一般干部, a few are 厅局级
    women = sum(c.gender == "F" for c in plan.cadres) / len(plan.cadres)
    assert 0.25 < women < 0.35
    ranks = Counter(c.rank for c in plan.cadres)
    assert ranks["general"] > len(plan.cadres) / 2
    assert 0 < ranks["bureau_main"] + ranks["bureau_deputy"] < 20
    # and every ID number is valid and unique
    assert len({c.id_number for c in plan.cadres}) == len(plan.cadres)


def test_every_id_number_is_valid_unique_and_agrees_with_birth_date_gender_and_county(orgs):
    # given the loaded cadres
    cadres = list(
        Cadre.objects.values_list(
            "id_number", "birth_date", "gender", "unit_id", "categories__code"
        )
    )
    county_codes = {o.code for o in orgs.values() if o.level == "county"}
    seen = set()
    for id_number, birth_date, gender, unit_id, category in cadres:
        # then each number passes the check digit and tells the stored birth date and sex
        parsed = parse_id_number(id_number)
        assert (parsed.birth_date, parsed.gender) == (birth_date, gender)
        # and opens with the code of the county the unit belongs to (city staff: any county)
        unit = orgs[unit_id]
        county_ids = [pk for pk in [*unit.ancestor_ids, unit.pk] if orgs[pk].level == "county"]
        expected = {orgs[county_ids[0]].code} if county_ids else county_codes
        assert id_number[:6] in expected
        # and 年轻干部 means 35 or younger
        if category == "young":
            assert age_at(birth_date) <= 35
        seen.add(id_number)
    assert len(seen) == Cadre.objects.count() == SMALL


def test_every_unit_has_exactly_one_secretary_and_one_head(orgs):
    # when the leadership posts are counted per unit
    counts = Counter(
        {
            (row["unit_id"], row["leader_role"]): row["n"]
            for row in Cadre.objects.filter(leader_role__in=["secretary", "head"])
            .values("unit_id", "leader_role")
            .annotate(n=Count("id"))
        }
    )
    # then every county, township, department and village has one of each
    for org in orgs.values():
        assert counts[(org.pk, "secretary")] == 1, org.name
        assert counts[(org.pk, "head")] == 1, org.name
    # and village leaders carry the 村社区干部 category
    village_leader = Cadre.objects.filter(unit__level="village", leader_role="secretary").first()
    assert "村社区干部" in {c.name for c in village_leader.categories.all()}


def test_the_same_seed_gives_the_same_city_and_another_seed_another():
    # when the plan is built twice with seed 1 and once with seed 2
    first, again, other = (build_plan(seed=s, cadres=SMALL) for s in (1, 1, 2))
    # then seed 1 repeats itself exactly, and seed 2 differs
    assert first.orgs == again.orgs and first.cadres == again.cadres
    assert first.accounts == again.accounts
    assert [c.id_number for c in first.cadres] != [c.id_number for c in other.cadres]


def test_what_is_written_is_exactly_the_plan(demo_output, unscoped_block):
    # given the demo loaded with seed 1
    def digest(rows) -> str:
        return hashlib.sha256("|".join(f"{n}:{i}" for n, i in rows).encode()).hexdigest()

    stored = Cadre.objects.order_by("pk").values_list("name", "id_number")
    planned = [(c.name, c.id_number) for c in build_plan(seed=1, cadres=SMALL).cadres]
    # then the database holds the same people, in the same order, as a fresh plan for seed 1
    assert digest(stored) == digest(planned)


def test_each_printed_login_signs_in_and_the_trainee_also_with_the_id_number(demo_output, client):
    # given the logins the command printed
    logins = printed_logins(demo_output)
    assert set(logins) == {
        "admin",
        "organizer",
        "reviewer",
        "lecturer",
        "county_admin",
        "contact",
        "trainee",
    }
    # when each signs in with the printed password, then the login page lets them through
    for username, password in logins.items():
        assert password == DEMO_PASSWORD
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, username
        assert int(client.session["_auth_user_id"]) == User.objects.get(username=username).pk
        client.logout()
    # and the trainee can use the printed ID number instead of the username
    id_number = re.search(r"身份证号 (\S+) 登录", demo_output).group(1)
    response = client.post("/accounts/login/", {"username": id_number, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(username="trainee").pk


def test_demo_accounts_sit_where_their_role_needs_them(demo_output, unscoped_block):
    users = {u.username: u for u in User.objects.select_related("org", "cadre__unit")}
    # then city-wide staff see the whole city, the county administrator one county
    for username in ("admin", "organizer", "reviewer"):
        assert users[username].org.level == "city"
    assert users["county_admin"].org.level == "county"
    # and the trainee is a cadre of the contact's township
    contact, trainee = users["contact"], users["trainee"]
    assert contact.org.level == "township"
    assert trainee.cadre.unit == contact.org == trainee.org
    # and the lecturer is a cadre of a city department; nobody must change the password first
    assert users["lecturer"].cadre.unit.level == "department"
    assert users["lecturer"].cadre.unit.depth == 1
    assert not any(u.must_change_password for u in users.values())
    assert users["admin"].has_role("admin") and users["contact"].has_role("unit_contact")


def test_if_empty_on_a_filled_database_creates_nothing_but_prints_the_logins(demo_output):
    # given a loaded demo
    with unscoped():
        before = (Org.objects.count(), Cadre.objects.count(), AuditEntry.objects.count())
    # when `ganxun demo --if-empty` runs again
    out = StringIO()
    call_command("demo", if_empty=True, cadres=SMALL, stdout=out)
    # then nothing was added, and the same logins are printed
    with unscoped():
        after = (Org.objects.count(), Cadre.objects.count(), AuditEntry.objects.count())
    assert after == before
    assert "未生成演示数据" in out.getvalue()
    assert printed_logins(out.getvalue()) == printed_logins(demo_output)


def test_without_if_empty_a_filled_database_is_refused(demo_output):
    with pytest.raises(CommandError, match="已有组织数据"):
        call_command("demo", cadres=SMALL, stdout=StringIO())


def test_too_few_cadres_to_staff_every_unit_is_refused_with_the_minimum(db):
    with pytest.raises(CommandError, match="至少为"):
        call_command("demo", cadres=100, stdout=StringIO())
    with unscoped():
        assert not Org.objects.exists()


def test_one_audit_entry_summarises_the_load(demo_output):
    entries = AuditEntry.objects.filter(
        action="create", object_type="orgs.org", object_repr="演示数据"
    )
    assert entries.count() == 1
    assert entries.get().changes["cadres"] == [None, SMALL]


def test_subtree_query_by_path_returns_exactly_the_descendants(orgs):
    # given the parent links, the descendants of a node found by walking down them
    children: dict[int, list[int]] = {}
    for org in orgs.values():
        children.setdefault(org.parent_id, []).append(org.pk)

    def walk(pk: int) -> set[int]:
        found = {pk}
        for child in children.get(pk, []):
            found |= walk(child)
        return found

    # then one `path LIKE 'prefix%'` query returns the same set, for a county and a township
    county = next(o for o in orgs.values() if o.level == "county")
    township = next(o for o in orgs.values() if o.level == "township" and o.parent_id == county.pk)
    for node in (county, township):
        by_path = set(Org.objects.filter(path__startswith=node.path).values_list("pk", flat=True))
        assert by_path == walk(node.pk)
        assert all(orgs[pk].depth == orgs[pk].path.count("/") - 1 for pk in by_path)


def test_ordinary_inserts_continue_after_the_demo_without_id_clashes(orgs):
    # given the demo chose its own ids; when the tree grows the ordinary way
    city = next(o for o in orgs.values() if o.level == "city")
    org = _insert_org(parent=city, code="330200X99", name="市新设机构", level="department")
    # then the database hands out a fresh id after the demo's
    assert org.pk > max(orgs)


def test_the_demo_fills_the_catalogue_a_program_and_a_survey_for_the_demo_accounts(
    demo_output, unscoped_block
):
    users = {u.username: u for u in User.objects.select_related("cadre")}
    trainee = users["trainee"].cadre
    # then the catalogue has published courses, and the lecturer account is in the faculty
    published = Course.objects.filter(status=Course.Status.PUBLISHED)
    assert published.count() >= 20
    assert Lecturer.objects.filter(cadre=users["lecturer"].cadre).exists()
    # and the program has upcoming sessions, the demo trainee on its list in a batch
    program = Program.objects.get(name="周末知行学堂")
    sessions = Session.objects.filter(program=program)
    assert sessions.count() == 6
    assert all(s.starts_at > timezone.now() for s in sessions)
    row = ProgramTrainee.objects.get(program=program, cadre=trainee)
    assert row.batch in (1, 2)
    assert sessions.filter(outline_status=OutlineStatus.SUBMITTED).count() == 1
    # and the open needs survey counts the trainee among its respondents
    respondent = Respondent.objects.get(cadre=trainee)
    assert respondent.survey.questionnaire.status == Questionnaire.Status.OPEN
    assert Respondent.objects.filter(survey=respondent.survey, response__isnull=False).exists()
    # and a finished cohort shows follow-ups, outcomes in every state and graduates, the demo
    # trainee among them with a certificate
    from ganxun.outcomes.models import Certificate, FollowUp, Outcome

    assert FollowUp.objects.exists()
    assert set(Outcome.objects.values_list("status", flat=True)) == {
        "submitted",
        "returned",
        "accepted",
    }
    assert Certificate.objects.filter(cadre=trainee).exists()
    assert Certificate.objects.count() >= 3
    # and the command said so
    assert "演示内容：课程 22 门" in demo_output


def test_the_printed_logins_say_what_each_account_needs(demo_output):
    # the test settings are the demo's: nobody is forced into 2FA, administrators are offered it
    rows = {line.split()[1]: line for line in demo_output.splitlines() if len(line.split()) >= 5}
    assert "首页提示可绑定两步验证" in rows["admin"]
    assert "或身份证号+密码" in rows["trainee"] and "两步验证" not in rows["trainee"]
    assert rows["organizer"].split()[-1] == "用户名+密码"
    assert "须绑定" not in demo_output


def test_every_demo_cadre_has_a_career_with_some_transfers_and_promotions(
    demo_output, unscoped_block
):
    from ganxun.credits.selectors import promotion_training
    from ganxun.orgs.models import CadreHistory

    # given the demo city; then every cadre has exactly one record of the post they hold, in
    # their unit at their rank (closed for those who left), and nothing overlaps
    last = {}
    for cadre_id, unit_id, rank, start, end in CadreHistory.objects.order_by(
        "cadre_id", "start"
    ).values_list("cadre_id", "unit_id", "rank", "start", "end"):
        previous = last.get(cadre_id)
        assert previous is None or previous[3] == start  # each record ends where the next starts
        last[cadre_id] = (unit_id, rank, start, end)
    cadres = {c.pk: c for c in Cadre.objects.only("unit_id", "rank", "status")}
    assert set(last) == set(cadres)
    for pk, (unit_id, rank, _start, end) in last.items():
        assert (unit_id, rank) == (cadres[pk].unit_id, cadres[pk].rank)
        assert (end is None) == (cadres[pk].status == "active")
    # some moved from another unit, some were promoted, and the promotion list has people
    earlier = CadreHistory.objects.filter(end_reason="changed")
    moved = earlier.filter(rank=F("cadre__rank")).exclude(unit_id=F("cadre__unit_id"))
    assert moved.count() > 20 and earlier.exclude(rank=F("cadre__rank")).count() > 20
    city = Org.objects.get(level="city")
    assert len(promotion_training(city)) > 5
    # and every cadre has a 人员类别, village cadres theirs, the same in their history
    kinds = Counter(Cadre.objects.values_list("personnel_category__code", flat=True))
    assert None not in kinds and {"civil_servant", "village", "institution"} <= set(kinds)
    village = Cadre.objects.filter(unit__level="village").exclude(
        personnel_category__code="village"
    )
    assert not village.exists()
    assert not CadreHistory.objects.exclude(personnel_category=F("cadre__personnel_category"))
