"""The import pages: upload → progress → preview → commit → result, the template, and who may
import where. Bad files get a clear message and never a 500."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ganxun.accounts.models import Role
from ganxun.core.models import Job
from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre, Org
from tests.factories import make_user
from tests.orgs.roster_files import HEADERS, person_id, write_xlsx


@pytest.fixture(autouse=True)
def data_dir(tmp_path):
    with override_settings(DATA_DIR=tmp_path / "data"):
        yield


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def roster(tmp_path):
    rows = [
        HEADERS,
        ["王五", "男", person_id(1), "1985.03", "东湖镇", "科员", "正科", ""],
        ["李四", "男", "1.10101E+17", "", "东湖镇", "科员", "正科", ""],
        ["张三", "男", person_id(3), "", "北桥街道", "", "正科", ""],
    ]
    return write_xlsx(tmp_path / "东湖镇名册.xlsx", rows, titles=("东湖镇干部花名册",))


def test_a_unit_contact_previews_commits_and_downloads_the_error_report(
    client, city, town_contact, tmp_path, django_capture_on_commit_callbacks
):
    # given a unit contact of 东湖镇 with a roster holding one good row and two bad ones
    client.force_login(town_contact)
    assert "导入名册" in client.get("/cadres/").content.decode()
    # when the file is uploaded
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cadres/import/", {"file": upload(roster(tmp_path)), "root": city.town_a1.pk}
        )
    preview = Job.objects.get(kind="roster_preview")
    assert response.url == f"/cadres/import/{preview.pk}/"
    assert (preview.status, preview.done, preview.total) == ("succeeded", 5, 5)
    # then the progress page sends the browser on to the preview, which lists errors first
    assert client.get(response.url, HTTP_HX_REQUEST="true")["HX-Redirect"].endswith("/rows/")
    page = client.get(f"/cadres/import/{preview.pk}/rows/").content.decode()
    assert page.index("有错误") < page.index("王五")
    assert "第 4 行【身份证号】身份证号被 Excel 显示为科学计数法" in page
    assert "北桥街道" in page and "不在导入范围" in page
    with unscoped():
        assert Cadre.objects.count() == 0
    # when the valid rows are committed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cadres/import/{preview.pk}/commit/")
    commit = Job.objects.get(kind="roster_commit")
    assert client.get(response.url).url == f"/cadres/import/{commit.pk}/rows/"
    # then the one valid row is written and the result page offers the error report
    with unscoped():
        assert list(Cadre.objects.values_list("name", flat=True)) == ["王五"]
    result = client.get(f"/cadres/import/{commit.pk}/rows/").content.decode()
    assert "导入结果" in result and "下载错误报告" in result
    report = client.get(f"/jobs/{commit.pk}/download/")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-2:] == ("原行号", "错误说明")
    assert [r[0] for r in rows[1:]] == ["李四", "张三"]
    assert "科学计数法" in rows[1][-1]


def test_bad_files_get_a_clear_message_and_start_nothing(client, city, town_contact):
    client.force_login(town_contact)
    cases = {
        "photo.xlsx": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        "empty.csv": b"",
        "web.xls": b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    }
    for name, content in cases.items():
        response = client.post(
            "/cadres/import/",
            {"file": SimpleUploadedFile(name, content), "root": city.town_a1.pk},
        )
        assert response.status_code == 200
        assert 'data-testid="field-error"' in response.content.decode(), name
    assert Job.objects.count() == 0


def test_an_unreadable_sheet_fails_the_preview_job_with_the_reason(
    client, city, town_contact, tmp_path, django_capture_on_commit_callbacks
):
    # given an .xlsx whose sheet has no recognisable header
    client.force_login(town_contact)
    path = write_xlsx(tmp_path / "x.xlsx", [["项目", "金额"], ["办公费", 100]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cadres/import/", {"file": upload(path), "root": city.town_a1.pk})
    # then the job page shows why, and offers a new upload
    page = client.get(response.url).content.decode()
    assert "没有找到表头" in page and "身份证号" in page and "重新上传" in page


def test_a_unit_contact_cannot_import_outside_the_subtree_or_create_units(
    client, city, town_contact, tmp_path
):
    client.force_login(town_contact)
    form = client.get("/cadres/import/").content.decode()
    assert "找不到的单位自动新建" not in form
    response = client.post(
        "/cadres/import/", {"file": upload(roster(tmp_path)), "root": city.town_b1.pk}
    )
    assert "root" in response.context["form"].errors
    assert Job.objects.count() == 0


def test_an_organizer_may_not_import_and_jobs_are_private(client, city, town_contact, admin):
    organizer = make_user(city.city, Role.ORGANIZER)
    client.force_login(organizer)
    assert client.get("/cadres/import/").status_code == 403
    job = Job.objects.create(actor=admin, kind="roster_preview", title="x", status="succeeded")
    client.force_login(town_contact)
    assert client.get(f"/cadres/import/{job.pk}/rows/").status_code == 404
    assert client.post(f"/cadres/import/{job.pk}/commit/").status_code == 404


def test_an_admin_can_have_missing_units_created(
    client, city, admin, tmp_path, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    rows = [HEADERS, ["王五", "", person_id(1), "", "东湖镇应急办", "", "正科", ""]]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/cadres/import/",
            {
                "file": upload(path),
                "root": city.county_a.pk,
                "create_units": "on",
                "units_parent": city.town_a1.pk,
            },
        )
    preview = Job.objects.get()
    assert "东湖镇应急办（将新建）" in client.get(f"{response.url}rows/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cadres/import/{preview.pk}/commit/")
    with unscoped():
        assert Org.objects.get(name="东湖镇应急办").parent == city.town_a1


def test_the_blank_template_has_the_canonical_headers_and_imports_as_nothing(
    client, city, town_contact, tmp_path
):
    from ganxun.orgs.exports import ROSTER_HEADERS
    from ganxun.orgs.roster.importer import ImportOptions, run_import

    client.force_login(town_contact)
    content = client.get("/cadres/import/template.xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == ROSTER_HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet["C2"].data_type == "s"  # the ID number is text
    # a template uploaded with only its example row imports nobody
    path = tmp_path / "t.xlsx"
    path.write_bytes(content)
    assert run_import(path, ImportOptions(root=city.town_a1)).rows == 0


def test_a_preview_job_rechecks_the_actors_scope_when_it_runs(
    city, town_contact, tmp_path, django_capture_on_commit_callbacks
):
    from ganxun.orgs.roster.jobs import roster_preview_start, save_upload

    # given a preview queued by 东湖镇's contact
    path = save_upload(upload(roster(tmp_path)))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        job = roster_preview_start(
            actor=town_contact, path=path, filename="r.xlsx", root=city.town_a1
        )
    # when the contact is moved to another town before the job runs
    town_contact.org = city.town_b1
    town_contact.save()
    for callback in queued:
        callback()
    # then the job refuses to run, saying why
    job.refresh_from_db()
    assert job.status == "failed" and "不在您的管理范围内" in job.message


def test_the_commit_plans_again_so_a_unit_retired_since_the_preview_is_not_written(
    client, city, town_contact, tmp_path, django_capture_on_commit_callbacks
):
    # given a preview of two people in 东湖村 and 东湖镇
    client.force_login(town_contact)
    rows = [
        HEADERS,
        ["王五", "男", person_id(1), "", "东湖镇", "", "正科", ""],
        ["李四", "男", person_id(2), "", "东湖村", "", "正科", ""],
    ]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cadres/import/", {"file": upload(path), "root": city.town_a1.pk})
    preview = Job.objects.get()
    assert preview.result["counts"]["new"] == 2
    # when 东湖村 is retired before the commit runs
    Org._base_manager.filter(pk=city.village_a1.pk).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cadres/import/{preview.pk}/commit/")
    # then only 王五 is written, and 李四's row says why
    commit = Job.objects.get(kind="roster_commit")
    assert commit.result["counts"] == {"new": 1, "update": 0, "unchanged": 0, "error": 1}
    assert "撤销" in commit.errors[0]
    with unscoped():
        assert list(Cadre.objects.values_list("name", flat=True)) == ["王五"]
