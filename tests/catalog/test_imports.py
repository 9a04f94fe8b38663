"""Excel import of faculty and courses: preview (nothing written) → commit → error report; the
export imports back unchanged."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from ganxun.accounts.models import Role
from ganxun.catalog.importing.run import run_sheet
from ganxun.catalog.models import Course, Lecturer
from ganxun.core.models import Job
from ganxun.core.scoping import unscoped
from tests.catalog.factories import make_course, make_lecturer, make_theme
from tests.factories import CategoryFactory, make_user


@pytest.fixture(autouse=True)
def data_dir(tmp_path):
    with override_settings(DATA_DIR=tmp_path / "data"):
        yield


@pytest.fixture
def organizer(city):
    return make_user(city.city, Role.ORGANIZER, username="city_org")


def xlsx(path, rows, title=None):
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes())


def lecturers_file(tmp_path):
    """Headers as offices write them, under a title row; one good, one updated, two bad rows."""
    return xlsx(
        tmp_path / "师资库.xlsx",
        [
            ["姓名", "师资类型", "单位", "职称", "专长", "是否外聘", "手机"],
            ["张平", "一把手", "市人大常委会", "主任", "疫情防控，应急管理", "否", "13800000001"],
            ["林雅莲", "领导干部", "镇海区委", "书记", "应急处置", "否", ""],
            ["金昕", "宇航员", "新碶街道", "书记", "基层治理", "否", ""],
            ["张平", "一把手", "市人大常委会", "主任", "", "否", ""],
        ],
        title="甬江市干部教育师资库",
    )


def test_faculty_preview_writes_nothing_then_commit_writes_the_valid_rows(
    client, city, organizer, tmp_path, django_capture_on_commit_callbacks
):
    make_lecturer(city.city, "林雅莲", affiliation="镇海区委", title="副书记")
    client.force_login(organizer)
    # when the faculty file is uploaded
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/catalog/lecturers/import/", {"file": upload(lecturers_file(tmp_path))}
        )
    preview = Job.objects.get(kind="catalog_import_preview")
    assert response.url == f"/catalog/imports/{preview.pk}/"
    assert client.get(response.url, HTTP_HX_REQUEST="true")["HX-Redirect"].endswith("/rows/")
    # then the preview lists each row's fate, errors first, and nothing is written yet
    page = client.get(f"/catalog/imports/{preview.pk}/rows/").content.decode()
    assert preview.result["counts"] == {"error": 2, "new": 1, "update": 1, "unchanged": 0}
    assert page.index("有错误") < page.index("导入有效行")
    assert "第 5 行【师资类型】无法识别的师资类型“宇航员”" in page
    assert "第 6 行【姓名】与第 3 行重复" in page
    assert "职称：副书记 → 书记" in page
    with unscoped():
        assert Lecturer.objects.count() == 1
    # when the valid rows are committed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/catalog/imports/{preview.pk}/commit/")
    commit = Job.objects.get(kind="catalog_import_commit")
    # then the new and the updated lecturer are in the pool, the bad rows are not
    with unscoped():
        pool = {lec.name: lec for lec in Lecturer.objects.filter(owner=city.city)}
    assert set(pool) == {"张平", "林雅莲"}
    assert pool["张平"].kind == Lecturer.Kind.DEPT_HEAD
    assert pool["张平"].specialties == "疫情防控、应急管理"
    assert pool["林雅莲"].title == "书记"
    # and the error report holds the two bad rows as written, with the reason beside them
    report = client.get(f"/jobs/{commit.pk}/download/")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][-2:] == ("原行号", "错误说明")
    assert [(r[0], r[-2]) for r in rows[1:]] == [("金昕", 5), ("张平", 6)]
    assert "宇航员" in rows[1][-1]


def test_course_rows_resolve_themes_lecturers_forms_and_ranks(city, organizer, tmp_path):
    make_theme(city.city, "风险防范")
    make_lecturer(city.city, "张平", affiliation="市人大")
    make_lecturer(city.city, "李华", affiliation="市委党校")
    make_lecturer(city.city, "李华", affiliation="市发改委")
    CategoryFactory(code="young", name="年轻干部")
    path = xlsx(
        tmp_path / "课程.xlsx",
        [
            ["课程名称", "专题", "授课形式", "课时", "主讲人", "面向职级", "培训对象", "简介"],
            ["市域应急体系", "风险防范", "案例式", 3, "张平", "正科、一般干部", "年轻干部", "提纲"],
            ["经济形势", "", "讲座", "2.5", "李华（市委党校）", "", "", ""],
            ["数字政府", "数字化", "讲座", 3, "", "", "", ""],
            ["招商引资", "", "讲座", 3, "李华", "", "", ""],
            ["乡村振兴", "", "讲座", 3, "王五", "", "", ""],
            ["基层党建", "", "大课", 3, "", "正部级", "", ""],
        ],
    )
    result = run_sheet(organizer, "courses", path, commit=True)
    errors = {r["label"]: r["errors"][0][1] for r in result["records"] if r["status"] == "error"}
    assert "没有名为“数字化”的专题" in errors["数字政府"]
    assert "有 2 位“李华”" in errors["招商引资"]
    assert "师资库中没有“王五”" in errors["乡村振兴"]
    assert "无法识别的教学形式“大课”" in errors["基层党建"]
    with unscoped():
        courses = {
            c.title: c for c in Course.objects.prefetch_related("lecturers", "target_categories")
        }
    assert set(courses) == {"市域应急体系", "经济形势"}
    emergency = courses["市域应急体系"]
    assert (emergency.form, emergency.theme.name, emergency.target_ranks) == (
        "case",
        "风险防范",
        ["section_main", "general"],
    )
    assert [c.name for c in emergency.target_categories.all()] == ["年轻干部"]
    assert [lec.affiliation for lec in courses["经济形势"].lecturers.all()] == ["市委党校"]
    assert str(courses["经济形势"].hours) == "2.5" and courses["经济形势"].status == "draft"


def test_an_exported_catalogue_imports_back_unchanged(client, city, organizer, tmp_path):
    theme = make_theme(city.city, "理想信念")
    lecturer = make_lecturer(city.city, "周强", specialties="党史")
    make_course(city.city, "红色基因", theme=theme, lecturers=[lecturer], target_ranks=["general"])
    make_course(city.city, "读书研讨会", form="reading", status="draft", summary="第一行\n第二行")
    client.force_login(organizer)
    for what, url in (
        ("courses", "/catalog/courses/export.xlsx"),
        ("lecturers", "/catalog/lecturers/export.xlsx"),
    ):
        path = tmp_path / f"{what}.xlsx"
        path.write_bytes(client.get(url).content)
        result = run_sheet(organizer, what, path, commit=False)
        assert result["counts"]["unchanged"] == result["rows"] > 0, result["records"]


def test_a_file_without_a_header_fails_the_preview_with_the_reason(
    client, organizer, tmp_path, django_capture_on_commit_callbacks
):
    path = xlsx(tmp_path / "随便.xlsx", [["甲", "乙"], ["1", "2"]])
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/catalog/courses/import/", {"file": upload(path)})
    job = Job.objects.get(kind="catalog_import_preview")
    assert job.status == Job.Status.FAILED and "没有找到表头" in job.message
    assert "“课程名称”" in client.get(response.url).content.decode()


def test_a_file_that_is_not_a_spreadsheet_is_refused_at_upload(client, organizer):
    client.force_login(organizer)
    word = SimpleUploadedFile(
        "课程.xlsx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le"),
    )
    response = client.post("/catalog/courses/import/", {"file": word})
    assert response.status_code == 200 and "文件已加密" in response.content.decode()
    assert not Job.objects.exists()


def test_only_catalogue_editors_import_and_jobs_stay_private(client, city, organizer, tmp_path):
    lecturer_user = make_user(city.city, Role.LECTURER)
    client.force_login(lecturer_user)
    assert client.get("/catalog/courses/import/").status_code == 403
    job = Job.objects.create(actor=organizer, kind="catalog_import_preview", title="x")
    client.force_login(make_user(city.city, Role.ORGANIZER))
    assert client.get(f"/catalog/imports/{job.pk}/rows/").status_code == 404
