"""An organizer sets up a small 周末知行学堂: two units, a main classroom with a video
sub-classroom, trainees split into two staggered batches, sessions for each batch; the
lecturer's outline is returned by the reviewing leader, revised and approved; the trainee sees
the schedule on a phone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ganxun.accounts.models import Role
from ganxun.programs.models import ProgramTrainee, Venue
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.catalog.factories import make_lecturer
from tests.factories import PASSWORD, CadreFactory, make_org, make_user
from tests.programs.factories import make_venue


@pytest.fixture
def signed_in(browser, live_server):
    """Pages signed in as given users; closed before the live server stops."""
    contexts = []

    def open_page(user, device=DESKTOP):
        ctx = browser.new_context(locale="zh-CN", **device)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        page.on("dialog", lambda dialog: dialog.accept())
        sign_in(page, live_server, user.username, PASSWORD)
        return page

    yield open_page
    for ctx in contexts:
        ctx.close()


def next_saturday(day):
    return day + timedelta(days=(5 - day.weekday()) % 7)


def field(page, label: str):
    """The field whose label is exactly ``label`` (a required field's label ends in " *")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def pick(page, label: str, name: str) -> None:
    """Choose ``name`` in the searchable picker labelled ``label``: type it, click the answer."""
    box = field(page, label)
    box.press_sequentially(name)
    list_id = box.get_attribute("aria-controls")
    option = page.locator(f"#{list_id} [role=option][data-label='{name}']")
    expect(option).to_be_visible()
    option.click()


def fill_form(page, fields: dict) -> None:
    for label, value in fields.items():
        field(page, label).fill(value)


@pytest.mark.django_db(transaction=True)
def test_program_batches_sessions_and_outline_review(city, signed_in, live_server):
    # given a county with two townships (secretary, head and members each), classrooms,
    # a reviewing leader and a lecturer whose account is linked through the roster
    county = city.county_a
    towns = [make_org(county, name=n, level="township") for n in ("东风镇", "西岭乡")]
    cadres = []
    for town in towns:
        for role in ("secretary", "head", "", "", "", ""):
            cadres.append(CadreFactory(unit=town, leader_role=role))
    trainee_user = make_user(towns[0], Role.TRAINEE, username="xueyuan", cadre=cadres[2])
    make_venue(county, "县委党校报告厅", capacity=200)
    make_venue(
        county,
        "东风镇视频分课堂",
        kind=Venue.Kind.VIDEO,
        capacity=30,
        serves=towns[0],
        stream_url="https://meeting.example.cn/dfz",
    )
    organizer_user = make_user(county, Role.ORGANIZER, username="jiaowu")
    reviewer_user = make_user(county, Role.REVIEWER, username="fenguan")
    reviewer_user.display_name = "分管副县长"
    reviewer_user.save()
    teacher_cadre = CadreFactory(unit=city.dept_city, name="张平")
    make_lecturer(county, "张平", affiliation="县应急管理局", cadre=teacher_cadre)
    lecturer_user = make_user(county, Role.LECTURER, username="zhangping", cadre=teacher_cadre)
    today = timezone.localdate()
    start = today + timedelta(days=14)
    mid = start + timedelta(days=30)
    end = start + timedelta(days=59)

    # when the organizer creates the program with two batches, the reviewer and classrooms
    organizer = signed_in(organizer_user)
    organizer.get_by_role("link", name="培训项目").click()
    organizer.get_by_role("link", name="新建项目").click()
    fill_form(
        organizer,
        {
            "项目名称": "周末知行学堂",
            "期数": "1",
            "开始日期": f"{start}",
            "结束日期": f"{end}",
            "批次数": "2",
        },
    )
    organizer.get_by_label("分管副县长").check()
    field(organizer, "主课堂").select_option(label="县委党校报告厅（主课堂，200 座）")
    organizer.get_by_label("东风镇视频分课堂（视频分课堂，30 座）").check()
    organizer.get_by_role("button", name="保存").click()
    expect(organizer.get_by_test_id("program-name")).to_have_text("周末知行学堂第1期")
    program_url = organizer.url

    # and adds two units
    for title, first, last in (
        ("风险防范", start, mid - timedelta(days=1)),
        ("基层治理", mid, end),
    ):
        organizer.get_by_role("link", name="添加单元").click()
        fill_form(organizer, {"单元名称": title, "开始日期": f"{first}", "结束日期": f"{last}"})
        organizer.get_by_role("button", name="保存").click()
    expect(organizer.get_by_test_id("units")).to_contain_text("第2单元·基层治理")

    # and adds the county's cadres as trainees and splits them into two batches
    organizer.get_by_role("link", name="学员").click()
    pick(organizer, "单位（含下级）", "东江县")
    organizer.get_by_role("button", name="添加符合条件的在职干部").click()
    # a preview first (how many, by unit), and the write only on confirming it
    expect(organizer.get_by_test_id("bulk-preview")).to_contain_text("添加 12 名学员")
    organizer.get_by_test_id("bulk-confirm").click()
    expect(organizer.get_by_text("共 12 名学员")).to_be_visible()
    organizer.get_by_role("link", name="分批").click()
    organizer.get_by_role("button", name="计算分批方案").click()
    # the solved split is previewed (per batch, how many move) and written on confirming it
    expect(organizer.get_by_test_id("bulk-preview")).to_contain_text("按方案分批 12 名学员")
    organizer.get_by_test_id("bulk-confirm").click()
    expect(organizer.get_by_test_id("bulk-preview")).to_have_count(0)
    verdict = organizer.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-status", "optimal")
    batches = dict(
        ProgramTrainee._base_manager.filter(cadre__in=cadres).values_list("cadre_id", "batch")
    )
    for town_cadres in (cadres[:6], cadres[6:]):
        assert batches[town_cadres[0].pk] != batches[town_cadres[1].pk]  # secretary, head apart
    assert set(batches.values()) == {1, 2}

    # and schedules batch 1's session with the lecturer, the main and the sub-classroom
    saturday = next_saturday(start + timedelta(days=7))
    organizer.goto(program_url)
    organizer.get_by_role("link", name="排课", exact=True).first.click()
    field(organizer, "单元").select_option(label="第1单元·风险防范")
    fill_form(organizer, {"日期": f"{saturday}", "开始时间": "09:00", "结束时间": "11:30"})
    field(organizer, "课题").fill("风险研判与应急处置")
    pick(organizer, "授课教师", "张平")
    organizer.get_by_label("东风镇视频分课堂（视频分课堂，30 座）").check()
    field(organizer, "参训批次").select_option(label="第1批")
    organizer.get_by_role("button", name="保存").click()
    expect(organizer.get_by_test_id("sub-venues")).to_contain_text("东风镇视频分课堂")
    session_url = organizer.url

    # and batch 2's sessions as a series: the same lecturer the next two Sundays
    organizer.goto(program_url.rstrip("/") + "/sessions/series/")
    organizer.get_by_label("周六").uncheck()
    organizer.get_by_label("周日").check()
    fill_form(
        organizer,
        {"从": f"{saturday}", "到": "", "或共几次": "2", "开始时间": "09:00", "结束时间": "11:30"},
    )
    field(organizer, "课题").fill("风险研判与应急处置（第2批）")
    pick(organizer, "授课教师", "张平")
    field(organizer, "参训批次").select_option(label="第2批")
    organizer.get_by_role("button", name="保存").click()
    # a preview of the two sessions first; they are written on confirming it
    expect(organizer.get_by_test_id("bulk-preview")).to_contain_text("生成 2 次课")
    organizer.get_by_test_id("bulk-confirm").click()
    expect(organizer.get_by_test_id("sessions")).to_contain_text("风险研判与应急处置（第2批）")
    assert organizer.get_by_test_id("sessions").locator("tbody tr").count() == 3

    # then the lecturer submits an outline, the leader returns it with a comment…
    lecturer = signed_in(lecturer_user)
    lecturer.get_by_role("link", name="我的授课").click()
    lecturer.get_by_role("link", name="风险研判与应急处置").first.click()
    lecturer.get_by_role("link", name="提交提纲").click()
    lecturer.get_by_label("提纲内容").fill("一、风险形势\n二、研判方法")
    lecturer.get_by_role("button", name="保存").click()
    expect(lecturer.get_by_test_id("outline-status").first).to_have_text("待审核")

    reviewer = signed_in(reviewer_user)
    reviewer.get_by_role("link", name="提纲审核").click()
    reviewer.get_by_test_id("review-queue").get_by_role("link").first.click()
    reviewer.get_by_label("退回修改").check()
    reviewer.get_by_label("审核意见").fill("请补充本县防汛案例")
    reviewer.get_by_role("button", name="提交审核意见").click()
    expect(reviewer.get_by_test_id("outline-status").first).to_have_text("已退回")

    # …the lecturer sees the comment and revises, and the leader approves
    lecturer.reload()
    lecturer.get_by_role("link", name="提交修改稿").click()
    expect(lecturer.get_by_test_id("guidance")).to_contain_text("请补充本县防汛案例")
    lecturer.get_by_label("提纲内容").fill("一、风险形势\n二、研判方法\n三、本县防汛案例")
    lecturer.get_by_role("button", name="保存").click()
    reviewer.reload()
    reviewer.get_by_label("通过").check()
    reviewer.get_by_role("button", name="提交审核意见").click()
    expect(reviewer.get_by_test_id("outline-status").first).to_have_text("已通过")
    expect(reviewer.get_by_test_id("outline-v1").get_by_test_id("decision")).to_contain_text(
        "请补充本县防汛案例"
    )

    # and the organizer's list of sessions without an approved outline no longer holds it
    organizer.goto(session_url)
    expect(organizer.get_by_test_id("outline-status").first).to_have_text("已通过")
    organizer.goto(f"{live_server.url}/programs/pending-outlines/")
    pending = organizer.get_by_test_id("pending-outlines")
    expect(pending).to_contain_text("风险研判与应急处置（第2批）")
    assert pending.locator("tbody tr").count() == 2

    # and a trainee of batch 1 sees the session, with its video classroom, on a phone
    phone = signed_in(trainee_user, PHONE)
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_role("link", name="我的课表").click()
    batch = batches[cadres[2].pk]
    expect(phone.get_by_test_id("my-program")).to_contain_text(f"第{batch}批")
    titles = phone.get_by_test_id("my-sessions").inner_text()
    assert ("风险研判与应急处置（第2批）" in titles) == (batch == 2)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
