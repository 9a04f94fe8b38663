"""External learning records: preview → commit with an error report, idempotent on the platform's
record id; bad rows are refused with a clear message and nothing is written for them."""

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ganxun.core.models import Job
from ganxun.core.scoping import unscoped
from ganxun.credits.importing import run_file
from ganxun.credits.models import Channel, CreditEntry, ExternalRecord
from ganxun.orgs.idcard import make_id_number

HEAD = ["序号", "姓名", "身份证号码", "课程名称", "获得学时", "完成时间", "学习记录ID"]
PLATFORM = "中国干部网络学院"


def workbook(tmp_path, rows, name="records.xlsx"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["中国干部网络学院学员学习记录导出"])  # a title row above the header
    sheet.append(HEAD)
    for n, row in enumerate(rows, start=1):
        sheet.append([n, *row])
    path = tmp_path / name
    book.save(path)
    return path


def good_rows(cadres):
    a, b = cadres["inside"], cadres["inside_village"]
    return [
        [a.name, a.id_number, "习近平新时代中国特色社会主义思想", 4, "2025-03-14", "R-1"],
        [b.name, b.id_number, "数字政府建设", 2.5, date(2025, 5, 2), "R-2"],
    ]


def ledger_rows():
    with unscoped():
        return list(CreditEntry.objects.order_by("id"))


def test_preview_writes_nothing_and_commit_credits_online_hours(tmp_path, town_contact, cadres):
    path = workbook(tmp_path, good_rows(cadres))
    preview = run_file(town_contact, path, platform=PLATFORM, commit=False)
    assert preview["counts"] == {"error": 0, "new": 2, "unchanged": 0}
    assert not ledger_rows()
    done = run_file(town_contact, path, platform=PLATFORM, commit=True)
    assert done["written"] == 2
    entries = {e.cadre_id: e for e in ledger_rows()}
    entry = entries[cadres["inside"].pk]
    assert (entry.hours, entry.day, entry.channel) == (
        Decimal("4"),
        date(2025, 3, 14),
        Channel.ONLINE,
    )
    assert entries[cadres["inside_village"].pk].hours == Decimal("2.5")
    assert "R-1" in entry.reason and entry.recorded_by_id == town_contact.pk


def test_importing_the_same_export_again_adds_nothing(tmp_path, town_contact, cadres):
    path = workbook(tmp_path, good_rows(cadres))
    run_file(town_contact, path, platform=PLATFORM, commit=True)
    again = run_file(town_contact, path, platform=PLATFORM, commit=True)
    assert again["counts"] == {"error": 0, "new": 0, "unchanged": 2} and again["written"] == 0
    assert len(ledger_rows()) == 2
    # the same record id on another platform is another record
    other = run_file(town_contact, path, platform="浙江干部网络学院", commit=True)
    assert other["written"] == 2


def test_bad_rows_are_refused_with_reasons_and_an_error_report(tmp_path, town_contact, cadres):
    a = cadres["inside"]
    stranger = make_id_number("110101", date(1990, 1, 1), 11)
    future = (date.today() + timedelta(days=3)).isoformat()
    rows = [
        *good_rows(cadres),
        ["无此人", stranger, "课程", 2, "2025-03-01", "R-3"],
        ["赵六", cadres["other_county"].id_number, "课程", 2, "2025-03-01", "R-4"],
        [a.name, a.id_number, "课程", -2, "2025-03-01", "R-5"],
        [a.name, a.id_number, "课程", 30, "2025-03-01", "R-6"],
        [a.name, a.id_number, "重复的记录", 1, "2025-03-01", "R-1"],
        [a.name, a.id_number, "课程", 2, future, "R-7"],
        [a.name, "123", "课程", 2, "2025-03-01", "R-8"],
        [a.name, a.id_number, "一天太多", 15, "2025-06-01", "R-9"],
        [a.name, a.id_number, "一天太多", 15, "2025-06-01", "R-10"],
    ]
    report = tmp_path / "errors.xlsx"
    result = run_file(
        town_contact, workbook(tmp_path, rows), platform=PLATFORM, commit=True, report_path=report
    )
    # then only the good rows and the first of the two long days are written
    assert result["counts"] == {"error": 8, "new": 3, "unchanged": 0}
    assert {e.title for e in ledger_rows()} == {
        "习近平新时代中国特色社会主义思想",
        "数字政府建设",
        "一天太多",
    }
    messages = {r["label"]: " ".join(m for _, m in r.get("errors", [])) for r in result["records"]}
    assert "没有该身份证号的干部" in messages["R-3"]
    assert "没有该身份证号的干部" in messages["R-4"]  # another county's cadre is out of scope
    assert "大于 0" in messages["R-5"]
    assert "不能超过 24" in messages["R-6"]
    assert "晚于今天" in messages["R-7"]
    assert "当天合计超过 24 学时" in messages["R-10"]
    assert any(
        "重复" in r.get("errors", [[0, ""]])[0][1] for r in result["records"] if r["label"] == "R-1"
    )
    sheet = openpyxl.load_workbook(report).active
    head = [c.value for c in sheet[1]]
    assert head[-2:] == ["原行号", "错误说明"] and sheet.max_row == 9


def test_a_record_id_already_imported_with_other_hours_is_an_error(tmp_path, town_contact, cadres):
    run_file(town_contact, workbook(tmp_path, good_rows(cadres)), platform=PLATFORM, commit=True)
    changed = good_rows(cadres)
    changed[0][3] = 6
    result = run_file(
        town_contact, workbook(tmp_path, changed, "b.xlsx"), platform=PLATFORM, commit=True
    )
    assert result["counts"] == {"error": 1, "new": 0, "unchanged": 1}
    with unscoped():
        assert ExternalRecord._base_manager.get(record_id="R-1").hours == Decimal("4")


def test_upload_preview_and_commit_through_the_pages(
    client, town_contact, cadres, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(town_contact)
    path = workbook(tmp_path, good_rows(cadres))
    upload = SimpleUploadedFile("学习记录.xlsx", path.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/credits/import/", {"file": upload, "platform": PLATFORM})
    preview = Job.objects.get(kind="learning_preview")
    assert response.url == f"/credits/import/{preview.pk}/"
    page = client.get(f"/credits/import/{preview.pk}/rows/").content.decode()
    assert "这是预览" in page and "导入有效行" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/credits/import/{preview.pk}/commit/")
    assert Job.objects.get(kind="learning_commit").result["written"] == 2
    assert len(ledger_rows()) == 2


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(client, town_contact):
    client.force_login(town_contact)
    upload = SimpleUploadedFile("x.xlsx", b"\x00\x01\x02 not a sheet")
    page = client.post("/credits/import/", {"file": upload, "platform": PLATFORM})
    assert page.status_code == 200 and "无法识别该文件" in page.content.decode()


@pytest.fixture
def csv_path(tmp_path, cadres):
    a = cadres["inside"]
    text = "身份证号,课程,学时,完成日期,记录号\n" + f"{a.id_number},党史学习,3,2025/4/1,C-1\n"
    path = tmp_path / "r.csv"
    path.write_bytes(text.encode("gb18030"))
    return path


def test_csv_exports_in_gbk_are_read(csv_path, town_contact):
    result = run_file(town_contact, csv_path, platform=PLATFORM, commit=True)
    assert result["written"] == 1 and io
