"""干部任免审批表 (.lrmx) files as the 任免表编辑器 writes them: one XML <Person> per cadre, a zip
of a folder of them, GB2312 declared, names of members in GBK, 简历 lines with continuation lines;
malformed files are refused per file with a Chinese message, hostile XML never expanded."""

import zipfile
from datetime import date

import pytest

from ganxun.orgs.roster.errors import RosterFileError
from ganxun.orgs.roster.lrmx import (
    career_lines,
    is_lrmx_upload,
    lrmx_table,
    parse_form,
    read_forms,
)
from tests.orgs.roster_files import person_id

JIANLI = (
    "1998.09--2002.07  浙江大学公共管理学院行政管理专业学习\r\n"
    "2002.07--2008.03  东江县城关镇科员\r\n"
    "2008.03--2016.01  东江县城关镇党委委员、副镇长\r\n"
    "                  （其间：2010.09--2012.07在省委党校在职研究生班学习）\r\n"
    "2016.01--         东江县城关镇党委书记\r\n"
)


def form_xml(name="李建国", id_number=None, birth="198003", jianli=JIANLI, encoding="UTF-8"):
    id_number = id_number or person_id(7)
    text = (
        f'<?xml version="1.0" encoding="{encoding}" standalone="yes"?>\n'
        "<Person>\n"
        f"  <XingMing>{name}</XingMing>\n"
        "  <XingBie>男</XingBie>\n"
        f"  <ChuShengNianYue>{birth}</ChuShengNianYue>\n"
        "  <MinZu>汉族</MinZu>\n"
        f"  <ShenFenZheng>{id_number}</ShenFenZheng>\n"
        "  <XianRenZhiWu>东江县城关镇党委书记</XianRenZhiWu>\n"
        f"  <JianLi>{jianli}</JianLi>\n"
        "  <ChengBaoDanWei>中共东江县委组织部</ChengBaoDanWei>\n"
        "  <ZhaoPian>/9j/4AAQSkZJRgABAQ==</ZhaoPian>\n"
        "  <JiaTingChengYuan><Item><ChengWei>妻子</ChengWei><XingMing>王芳</XingMing></Item>"
        "</JiaTingChengYuan>\n"
        "</Person>\n"
    )
    return text.encode("gb2312" if encoding.upper() == "GB2312" else "utf-8")


def test_a_form_gives_name_id_birth_post_and_dated_career():
    form = parse_form(form_xml(encoding="GB2312"), source="李建国.lrmx")
    assert not form.error
    assert (form.name, form.gender, form.birth) == ("李建国", "男", "1980.03")
    assert form.post == "东江县城关镇党委书记"
    assert [c.start for c in form.career] == [
        date(1998, 9, 1),
        date(2002, 7, 1),
        date(2008, 3, 1),
        date(2016, 1, 1),
    ]
    assert form.career[-1].end is None  # the current post is open
    assert "省委党校" in form.career[2].text  # the continuation line joins its entry


def test_career_lines_read_other_separators_and_full_width_digits():
    written = "２００２．０７—２００８．０３ 科员\n2008年03月至2016年01月 副镇长\n不是日期"
    lines = career_lines(written)
    assert [(c.start, c.end) for c in lines] == [
        (date(2002, 7, 1), date(2008, 3, 1)),
        (date(2008, 3, 1), date(2016, 1, 1)),
    ]
    assert lines[-1].text.endswith("不是日期")


@pytest.mark.parametrize(
    "data, word",
    [
        (b"<Person><XingMing>", "XML"),
        (b"<?xml version='1.0'?><Root><XingMing>x</XingMing></Root>", "Person"),
        (b"\x00\x01garbage", "XML"),
        (b"<?xml version='1.0'?><Person><XingBie>\xe7\x94\xb7</XingBie></Person>", "姓名"),
    ],
)
def test_a_malformed_form_is_refused_with_a_chinese_message(data, word):
    form = parse_form(data, source="坏.lrmx")
    assert form.error.startswith("坏.lrmx：") and word in form.error


def test_entity_expansion_is_never_attempted():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Person><XingMing>&b;</XingMing></Person>'
    )
    form = parse_form(bomb, source="x.lrmx")
    assert "DTD" in form.error and form.name == ""


def test_a_zip_of_a_folder_with_gbk_member_names_becomes_one_roster_row_per_form(tmp_path):
    path = tmp_path / "任免表.zip"
    names = {}
    with zipfile.ZipFile(path, "w") as archive:
        for n, name in enumerate(["李建国", "王秀英", "赵刚"]):
            gbk = f"东江县/{name}.lrmx".encode("gbk")
            placeholder = f"{n}".encode() * (len(gbk) - 5) + b".lrmx"
            names[placeholder] = gbk
            archive.writestr(placeholder.decode(), form_xml(name=name, id_number=person_id(n + 1)))
        archive.writestr("东江县/说明.txt", "not a form")
        archive.writestr("东江县/坏.lrmx", b"<Person")
    # Windows' "send to compressed folder" stores GBK names without the UTF-8 flag
    data = path.read_bytes()
    for placeholder, gbk in names.items():
        data = data.replace(placeholder, gbk)
    path.write_bytes(data)
    assert is_lrmx_upload(path)
    forms = list(read_forms(path))
    assert sorted(f.source.split("/")[-1] for f in forms if not f.error) == [
        "李建国.lrmx",
        "王秀英.lrmx",
        "赵刚.lrmx",
    ]
    table = lrmx_table(path)
    rows = list(table.rows)
    assert rows[0][1][:3] == ["姓名", "性别", "身份证号"]
    assert len(rows) == 5 and table.total == 5
    assert [m for m in table.unreadable.values()] == [
        "东江县/坏.lrmx：不是有效的任免审批表（XML 无法解析）。"
    ]


def test_a_zip_without_forms_is_refused(tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "x")
    assert not is_lrmx_upload(path)
    with pytest.raises(RosterFileError) as exc:
        list(read_forms(path))
    assert exc.value.code == "no_forms"


def test_a_zip_of_forms_updates_the_roster_and_a_broken_form_is_one_error(city, tmp_path):
    from ganxun.core.scoping import unscoped
    from ganxun.orgs.models import Cadre
    from ganxun.orgs.roster.importer import ImportOptions, run_import
    from tests.factories import CadreFactory

    # given two cadres of 东湖镇 on the roster, and their office's folder of 任免审批表, zipped,
    # with a third person not yet on the roster and one broken form
    born = [date(1980 + n, 3, 14) for n in range(3)]
    ids = [person_id(n + 1, born=born[n]) for n in range(3)]
    for n in range(2):
        CadreFactory(unit=city.town_a1, id_number=ids[n], birth_date=born[n], position="科员")
    path = tmp_path / "任免表.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for n, name in enumerate(["李建国", "王秀英", "赵刚"]):
            xml = form_xml(name=name, id_number=ids[n], birth=f"{born[n]:%Y%m}")
            archive.writestr(f"东江县/{name}.lrmx", xml)
        archive.writestr("东江县/坏的.lrmx", b"<Person><XingMing>")
    # when the office previews it
    preview = run_import(path, ImportOptions(root=city.town_a1))
    messages = [str(e) for e in preview.errors]
    # then the two known people are updated from their forms; the form has no 职级, so the new
    # person is refused until the roster gives one; the broken file is named, not a crash
    assert preview.counts["update"] == 2, (preview.counts, messages)
    assert preview.counts["error"] == 2 and preview.counts["new"] == 0
    assert any("坏的.lrmx" in m and "无法解析" in m for m in messages)
    assert any("职级" in m for m in messages)
    run_import(path, ImportOptions(root=city.town_a1, commit=True))
    with unscoped():
        li = Cadre.objects.get(name="李建国")
        assert li.position == "东江县城关镇党委书记" and li.unit == city.town_a1
    # and importing the same folder again writes nothing
    again = run_import(path, ImportOptions(root=city.town_a1, commit=True))
    assert again.counts["update"] == 0 and again.counts["new"] == 0


def test_a_form_uploaded_where_a_spreadsheet_is_expected_is_refused_in_words(tmp_path):
    from ganxun.orgs.roster.reading import open_tables, sniff

    path = tmp_path / "李建国.lrmx"
    path.write_bytes(form_xml())
    assert sniff(path) == "lrmx"
    with pytest.raises(RosterFileError) as exc:
        list(open_tables(path))
    assert "只能导入干部名册" in exc.value.message
