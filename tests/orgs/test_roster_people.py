"""A county 花名册 as offices keep it: 公务员, 参公 and 事业 staff side by side, every rank system
written the way people write it, tags that are not configured, footer rows — in .xlsx, .xls
and GBK .csv. Every valid row is accepted, counted by category and level, and a re-import
writes nothing."""

from datetime import date

import pytest

from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre, CadreCategory, CadreHistory
from ganxun.orgs.roster.importer import ImportOptions, run_import
from tests.orgs.roster_files import person_id, write_csv, write_xls, write_xlsx

HEAD = ["序号", "姓名", "性别", "身份证号", "出生年月", "工作单位", "现任职务", "职级", "人员类别"]
HEAD += ["标签", "任职时间"]


def county_rows():
    rows = [
        HEAD,
        [
            1,
            "王建国",
            "男",
            person_id(1),
            "1985.03",
            "东湖镇",
            "镇党委书记",
            "乡科级正职",
            "公务员",
        ],
        [
            2,
            "李娜",
            "女",
            person_id(2, male=False),
            "1985.03",
            "东湖镇",
            "镇长",
            "正科",
            "公务员（行政编）",
        ],
        [3, "赵敏", "男", person_id(3), "1985.03", "东湖镇", "办事员", "一级主任科员", "公务员"],
        [4, "钱七", "男", person_id(5), "1985.03", "东湖镇", "科员", "试用期", "公务员"],
        [5, "孙丽", "女", person_id(6, male=False), "1985.03", "东湖镇", "", "未定级", "参公"],
        [6, "周强", "男", person_id(7), "1985.03", "东湖镇", "站长", "管理八级 ", "事业编"],
        [
            7,
            "吴芳",
            "女",
            person_id(8, male=False),
            "1985.03",
            "东湖镇",
            "主任",
            "管理８级",
            "事业",
        ],
        [8, "郑伟", "男", person_id(9), "1985.03", "东湖镇", "医师", "专技十级", "事业单位人员"],
        [9, "冯军", "男", person_id(11), "1985.03", "东湖镇", "局长", "管理五级", "参照管理"],
        [
            10,
            "陈静",
            "女",
            person_id(12, male=False),
            "1985.03",
            "东湖镇",
            "",
            "副科级",
            "Civil Servant",
        ],
        [11, "褚明", "男", person_id(13), "1985.03", "东湖镇", "驾驶员", "技术工三级", "事业"],
        [
            12,
            "卫红",
            "女",
            person_id(14, male=False),
            "1985.03",
            "东湖镇",
            "",
            "四级调研员",
            "公务员",
        ],
    ]
    # tags and 任职时间 on every row; one tag that is not configured
    for i, row in enumerate(rows[1:]):
        row += ["年轻干部" if i % 2 else "大学生村官", "2020.06"]
    rows += [
        [],
        ["填表人：王芳", "", "", "联系电话：0574-88888888"],
        ["制表日期：2026年11月30日"],
        ["审核人：", "李强", "", "", "单位（盖章）"],
    ]
    return rows


EXPECTED_CATEGORIES = {"公务员": 6, "参照公务员法管理人员": 2, "事业单位人员": 4}
EXPECTED_LEVELS = {
    "乡科级正职": 3,  # 乡科级正职, 正科, 一级主任科员
    "乡科级副职": 3,  # 管理八级 twice, 副科级
    "一般干部": 4,  # 试用期, 未定级, 专技十级, 技术工三级
    "县处级正职": 1,  # 管理五级
    "县处级副职": 1,  # 四级调研员
}


def write(kind: str, path):
    rows = county_rows()
    if kind == "xlsx":
        return write_xlsx(path / "名册.xlsx", rows, titles=("东江县东湖镇干部花名册",))
    if kind == "xls":
        return write_xls(path / "名册.xls", rows, titles=("东江县东湖镇干部花名册",))
    return write_csv(path / "名册.csv", rows, encoding="gbk")


@pytest.mark.parametrize("kind", ["xlsx", "xls", "csv"])
def test_a_county_roster_mixing_categories_and_rank_systems_is_accepted(city, tmp_path, kind):
    # given the tag 年轻干部 is configured but 大学生村官 is not
    CadreCategory.objects.create(code="young", name="年轻干部")
    path = write(kind, tmp_path)
    # when the office previews and then commits it
    preview = run_import(path, ImportOptions(root=city.town_a1))
    # then every person is accepted, the footer is not a person, and the preview counts them
    assert preview.errors == []
    assert preview.counts["new"] == 12 and preview.rows == 12
    assert preview.by_category == EXPECTED_CATEGORIES
    assert preview.by_level == EXPECTED_LEVELS
    # and the unknown tag is a warning with its row count, for the "add this tag" button
    assert preview.unknown_tags == {"大学生村官": 6}
    first = run_import(path, ImportOptions(root=city.town_a1, commit=True))
    assert first.counts["new"] == 12
    with unscoped():
        zhou = Cadre.objects.select_related("rank_title", "personnel_category").get(name="周强")
        feng = Cadre.objects.get(name="冯军")
        assert (zhou.rank_title.name, zhou.rank) == ("管理八级", "section_deputy")
        assert zhou.personnel_category.name == "事业单位人员"
        assert zhou.position == "站长"
        assert feng.rank == "county_main"  # 管理五级 counts as 县处级
        assert Cadre.objects.get(name="李娜").categories.count() == 1
        # and each has a first history record from the 任职时间 given
        assert CadreHistory.objects.filter(start=date(2020, 6, 1), end=None).count() == 12
    # when the same file is imported again, then nothing is written
    again = run_import(path, ImportOptions(root=city.town_a1, commit=True))
    assert again.counts == {"new": 0, "update": 0, "unchanged": 12, "error": 0}
    with unscoped():
        assert CadreHistory.objects.count() == 12


def test_an_unknown_rank_or_category_is_a_row_error_listing_what_is_accepted(city, tmp_path):
    rows = [
        HEAD[:9],
        [1, "王建国", "男", person_id(1), "1985.03", "东湖镇", "镇长", "处长", "公务员"],
        [2, "李娜", "女", person_id(2, male=False), "1985.03", "东湖镇", "", "正科", "合同工"],
    ]
    summary = run_import(write_xlsx(tmp_path / "x.xlsx", rows), ImportOptions(root=city.town_a1))
    messages = {e.row: e.message for e in summary.errors}
    assert "职级“处长”无法识别" in messages[2] and "管理一级至管理十级" in messages[2]
    assert "试用期" in messages[2] and "专技一级至专技十三级" in messages[2]
    assert "人员类别“合同工”无法识别" in messages[3] and "参照公务员法管理人员" in messages[3]


def test_history_dates_before_birth_after_today_or_overlapping_are_refused(city, tmp_path):
    born_1985 = person_id(1)
    rows = [
        [*HEAD[:9], "任职时间"],
        [1, "王建国", "男", born_1985, "1985.03", "东湖镇", "镇长", "正科", "公务员", "1980.01"],
        [
            2,
            "李娜",
            "女",
            person_id(2, male=False),
            "1985.03",
            "东湖镇",
            "",
            "正科",
            "公务员",
            "2999.01",
        ],
    ]
    summary = run_import(write_xlsx(tmp_path / "x.xlsx", rows), ImportOptions(root=city.town_a1))
    messages = {e.row: e.message for e in summary.errors}
    assert "早于出生日期" in messages[2] and "晚于今天" in messages[3]
    # given a cadre whose current record starts 2022.01
    ok = [[*HEAD[:9], "任职时间"], [*rows[1][:9], "2022.01"]]
    run_import(write_xlsx(tmp_path / "a.xlsx", ok), ImportOptions(root=city.town_a1, commit=True))
    # when a promotion is dated before it, then the row is refused and nothing is written
    late = [[*HEAD[:9], "任职时间"], [*rows[1][:6], "镇党委书记", "管理七级", "公务员", "2021.05"]]
    summary = run_import(
        write_xlsx(tmp_path / "b.xlsx", late), ImportOptions(root=city.town_a1, commit=True)
    )
    assert [e.code for e in summary.errors] == ["history_overlap"]
    with unscoped():
        assert Cadre.objects.get(name="王建国").position == "镇长"


def test_a_promotion_in_a_reimport_adds_a_history_record(city, tmp_path):
    rows = [[*HEAD[:9], "任职时间"]]
    rows.append(
        [
            1,
            "王建国",
            "男",
            person_id(1),
            "1985.03",
            "东湖镇",
            "副镇长",
            "副科",
            "公务员",
            "2019.03",
        ]
    )
    run_import(write_xlsx(tmp_path / "a.xlsx", rows), ImportOptions(root=city.town_a1, commit=True))
    rows[1][6:8], rows[1][9] = ["镇长", "乡科级正职"], "2025.12"
    run_import(write_xlsx(tmp_path / "b.xlsx", rows), ImportOptions(root=city.town_a1, commit=True))
    with unscoped():
        records = list(
            CadreHistory.objects.order_by("start").values_list("position", "rank", "start", "end")
        )
    assert records == [
        ("副镇长", "section_deputy", date(2019, 3, 1), date(2025, 12, 1)),
        ("镇长", "section_main", date(2025, 12, 1), None),
    ]


def test_the_preview_shows_masked_id_numbers(city, tmp_path):
    from ganxun.orgs.roster.report import PreviewStore, RowList

    rows = [HEAD[:9], [1, "王建国", "男", person_id(1), "1985.03", "东湖镇", "", "正科", "公务员"]]
    store = PreviewStore(tmp_path / "job")
    summary = run_import(
        write_xlsx(tmp_path / "a.xlsx", rows), ImportOptions(root=city.town_a1), sink=store
    )
    shown = RowList(tmp_path / "job", summary.counts)[0:10]
    assert shown[0]["id"] != person_id(1) and shown[0]["id"].endswith(person_id(1)[-4:])
    assert "*" in shown[0]["id"]
    text = "".join(p.read_text() for p in (tmp_path / "job").glob("rows-*.jsonl"))
    assert person_id(1) not in text


def test_an_admin_adds_an_unknown_tag_in_one_click_and_the_file_is_checked_again(
    client, city, admin, tmp_path, settings, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ganxun.core.models import Job

    settings.DATA_DIR = tmp_path / "data"
    rows = [[*HEAD[:8], "标签"]]
    rows.append(
        [1, "王建国", "男", person_id(1), "1985.03", "东湖镇", "镇长", "正科", "大学生村官"]
    )
    path = write_xlsx(tmp_path / "名册.xlsx", rows)
    client.force_login(admin)
    # given a preview that warned about the tag 大学生村官, showing the person's ID masked
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/cadres/import/",
            {"file": SimpleUploadedFile(path.name, path.read_bytes()), "root": city.town_a1.pk},
        )
    preview = Job.objects.get(kind="roster_preview")
    page = client.get(f"/cadres/import/{preview.pk}/rows/").content.decode()
    assert "大学生村官" in page and "添加此标签并重新检查" in page
    assert person_id(1) not in page and person_id(1)[-4:] in page
    assert "乡科级正职 1" in page  # the preview counts the rows it will write per level
    # when the administrator adds it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cadres/import/{preview.pk}/add-tag/", {"name": "大学生村官"})
    # then the tag exists and a new preview of the same file no longer warns
    assert CadreCategory.objects.filter(name="大学生村官").exists()
    again = Job.objects.filter(kind="roster_preview").exclude(pk=preview.pk).get()
    assert response.url == f"/cadres/import/{again.pk}/"
    assert again.result["unknown_tags"] == {} and again.result["counts"]["new"] == 1


def test_a_rank_the_table_cannot_place_is_listed_until_the_table_places_it(
    client, city, admin, tmp_path
):
    # given a 事业单位 head at 管理二级, which the shipped table leaves without a level
    rows = [
        HEAD[:9],
        [1, "王建国", "男", person_id(1), "1985.03", "东湖镇", "院长", "管理二级", "事业"],
    ]
    summary = run_import(
        write_xlsx(tmp_path / "a.xlsx", rows), ImportOptions(root=city.town_a1, commit=True)
    )
    assert summary.counts["new"] == 1 and summary.by_level == {"未能对应层次": 1}
    client.force_login(admin)
    page = client.get("/cadres/ranks/").content.decode()
    # then the data-quality list names the rank and how many hold it
    assert "无法对应层次" in page and "管理二级（事业单位管理岗位）：1 人" in page
    # when the administrator places it at 厅局级副职 in the table
    from ganxun.orgs.models import RankTitle

    title = RankTitle.objects.get(name="管理二级")
    response = client.post(
        "/cadres/ranks/",
        {
            "pk": title.pk,
            "rank-code": title.code,
            "rank-name": title.name,
            "rank-system": title.system,
            "rank-level": "bureau_deputy",
            "rank-synonyms": title.synonyms,
            "rank-source": title.source,
            "rank-sort": title.sort,
        },
    )
    assert response.status_code == 302
    # then the holder counts at that level, in the record and in the current history
    with unscoped():
        assert Cadre.objects.get(name="王建国").rank == "bureau_deputy"
        assert CadreHistory.objects.get(end=None).rank == "bureau_deputy"
    assert "管理二级（事业单位管理岗位）" not in client.get("/cadres/ranks/").content.decode()
