"""任免审批表 bring people with their 简历: a rank where 现任职务 states one, else the rank the
uploader chose; the 简历 lines as closed career records, written once; impossible lines refuse
the form with a message per line and write nothing."""

import zipfile
from datetime import date

from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre, CadreHistory, RankTitle
from ganxun.orgs.roster.importer import ImportOptions, run_import
from ganxun.orgs.roster.lrmx import career_lines, career_problems, rank_in_post
from tests.orgs.roster_files import person_id
from tests.orgs.test_roster_lrmx import form_xml


def test_a_rank_is_read_from_the_post_only_where_the_post_states_one():
    assert rank_in_post("中共东江县委常委、组织部部长、二级巡视员") == "二级巡视员"
    assert rank_in_post("东江县民政局四级调研员") == "四级调研员"
    assert rank_in_post("东江县城关镇党委书记（正科级）") == "正科级"
    assert rank_in_post("东江县教育局办公室主任(管理八级)") == "管理八级"
    # post titles are not ranks
    for post in ("东江县副县长", "城关镇党委书记", "主任科员", "局长（主持工作）"):
        assert rank_in_post(post) == ""


def test_impossible_career_lines_are_named_one_by_one():
    lines = career_lines(
        "1975.09--1980.07  东江县第一中学学习\n"
        "2002.07--2008.03  东江县城关镇科员\n"
        "2007.01--2016.01  东江县城关镇副镇长\n"
        "2016.01--2099.01  东江县城关镇党委书记\n"
    )
    problems = career_problems(lines, birth=date(1980, 3, 14), today=date(2026, 12, 7))
    assert len(problems) == 3
    assert "出生年月（1980.03）之前" in problems[0]
    assert "重叠" in problems[1] and "2008.03" in problems[1]
    assert "晚于今天" in problems[2]


def _zip(tmp_path, forms):
    path = tmp_path / "任免表.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, xml in forms:
            archive.writestr(f"东江县/{name}.lrmx", xml)
    return path


def test_a_new_person_from_a_form_gets_the_chosen_rank_and_the_career_as_history(city, tmp_path):
    born = date(1980, 3, 14)
    number = person_id(3, born=born)
    path = _zip(tmp_path, [("赵刚", form_xml(name="赵刚", id_number=number, birth="198003"))])
    section_main = RankTitle.objects.get(name="乡科级正职")
    options = dict(root=city.town_a1, default_rank=section_main.pk)
    # the office imports the form, choosing 乡科级正职 for people whose form states no rank
    preview = run_import(path, ImportOptions(**options))
    assert preview.counts["new"] == 1, [str(e) for e in preview.errors]
    run_import(path, ImportOptions(**options, commit=True))
    with unscoped():
        zhao = Cadre.objects.get(name="赵刚")
        records = list(CadreHistory.objects.filter(cadre=zhao).order_by("start"))
    assert (zhao.rank_title, zhao.rank) == (section_main, "section_main")
    # three closed records from 简历 and the current one, begun when the open line began
    assert [(r.start, r.end) for r in records] == [
        (date(1998, 9, 1), date(2002, 7, 1)),
        (date(2002, 7, 1), date(2008, 3, 1)),
        (date(2008, 3, 1), date(2016, 1, 1)),
        (date(2016, 1, 1), None),
    ]
    assert "副镇长" in records[2].position and "省委党校" in records[2].text
    assert records[2].unit is None and records[3].unit == city.town_a1
    assert records[3].rank == "section_main"
    # importing the same form again writes nothing
    again = run_import(path, ImportOptions(**options, commit=True))
    assert again.counts["new"] == again.counts["update"] == 0
    with unscoped():
        assert CadreHistory.objects.filter(cadre=zhao).count() == 4


def test_a_rank_stated_in_the_post_needs_no_default(city, tmp_path):
    xml = form_xml(name="钱芳", id_number=person_id(4, born=date(1985, 5, 2)), birth="198505")
    xml = xml.replace("东江县城关镇党委书记</X".encode(), "东江县民政局四级调研员</X".encode())
    path = _zip(tmp_path, [("钱芳", xml)])
    summary = run_import(path, ImportOptions(root=city.town_a1, commit=True))
    assert summary.counts["new"] == 1, [str(e) for e in summary.errors]
    with unscoped():
        assert Cadre.objects.get(name="钱芳").rank_title.name == "四级调研员"


def test_a_form_with_impossible_career_dates_is_refused_whole(city, tmp_path):
    jianli = "1970.09--1980.07  东江县第一中学学习\n2016.01--  东江县城关镇党委书记\n"
    xml = form_xml(name="孙强", id_number=person_id(5, born=date(1980, 3, 1)), jianli=jianli)
    path = _zip(tmp_path, [("孙强", xml)])
    default = RankTitle.objects.get(name="乡科级正职").pk
    summary = run_import(path, ImportOptions(root=city.town_a1, default_rank=default, commit=True))
    assert summary.counts["error"] == 1 and summary.counts["new"] == 0
    message = str(summary.errors[0])
    assert "简历" in message and "出生年月" in message
    with unscoped():
        assert not Cadre.objects.filter(name="孙强").exists()
        assert not CadreHistory.objects.filter(text__contains="第一中学").exists()


def test_the_upload_page_offers_a_rank_for_forms_without_one_and_the_commit_keeps_it(
    client, city, town_contact, tmp_path, settings, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ganxun.core.models import Job

    settings.DATA_DIR = tmp_path / "data"
    number = person_id(6, born=date(1982, 4, 9))
    path = _zip(tmp_path, [("周敏", form_xml(name="周敏", id_number=number, birth="198204"))])
    deputy = RankTitle.objects.get(name="乡科级副职")
    client.force_login(town_contact)
    assert 'name="default_rank"' in client.get("/cadres/import/").content.decode()
    # when a unit contact uploads the folder choosing 乡科级副职 and commits the preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/cadres/import/",
            {
                "file": SimpleUploadedFile(path.name, path.read_bytes()),
                "root": city.town_a1.pk,
                "default_rank": deputy.pk,
            },
        )
    preview = Job.objects.get(kind="roster_preview")
    assert preview.result["counts"]["new"] == 1, preview.errors
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cadres/import/{preview.pk}/commit/")
    # then the person is registered at that rank with the career of the form
    with unscoped():
        zhou = Cadre.objects.get(name="周敏")
        assert zhou.rank_title == deputy
        assert CadreHistory.objects.filter(cadre=zhou).count() == 4
