"""干部任免审批表 files (.lrmx, the XML written by the 任免表编辑器 3.x) read as roster rows.

The format, as public readers and writers of it establish: one UTF-8 (sometimes GB2312) XML
document per person, root ``<Person>``, one child element per box of the paper form, named in
pinyin — ``XingMing`` 姓名, ``XingBie`` 性别, ``ChuShengNianYue`` 出生年月 (``199001`` or
``19900115``), ``MinZu`` 民族, ``ShenFenZheng`` 身份证号, ``XianRenZhiWu`` 现任职务 (one line,
unit and post together: "中共东江县委常委、组织部部长"), ``JianLi`` 简历 (one line per post:
"2010.07--2014.09  东江县城关镇党委副书记"), ``ChengBaoDanWei`` 呈报单位, ``ZhaoPian`` the photo in
base64, ``JiaTingChengYuan/Item`` the family. The older binary .lrm (2.0) is not read.

A folder of forms arrives as a .zip (or one .lrmx). Each form becomes one row of a roster
``Table`` under the canonical headers, so the spreadsheet import's preview, error report and
idempotence apply unchanged. The form has no 职级 box (none of the public element lists names
one), so the rank column is filled only where 现任职务 itself ends in a rank ("…、二级调研员",
"…党委书记（正科级）", ``rank_in_post``); the importer's default rank covers the rest. 简历 rides
along as a column of its own and becomes closed career-history records (``career_problems``
says which lines cannot be true).
"""

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from ganxun.orgs.roster.errors import RosterFileError
from ganxun.orgs.roster.reading import ZIP_MAGIC, Table

MAX_FORM_BYTES = 4 * 1024 * 1024  # a form with its photo is 20–200 KB
MAX_FORMS = 20_000
MAX_ARCHIVE_BYTES = 400 * 1024 * 1024  # uncompressed, summed over the zip's members
# the header the rows are written under (orgs/roster/headers.py canonical words)
HEADER = ["姓名", "性别", "身份证号", "出生年月", "职务", "职级", "简历"]
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
_DECLARED = re.compile(rb"encoding=[\"']([A-Za-z0-9_-]+)[\"']")
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CAREER_LINE = re.compile(
    r"^\s*(\d{4})[.．/年-](\d{1,2})月?\s*[-—–～~至]{1,2}\s*(?:(\d{4})[.．/年-](\d{1,2})月?)?\s*(.*)$"
)
# a rank as the shipped correspondence table spells it, standing last in 现任职务: the 职级
# words (四级调研员, 管理八级) wherever they end it, the short forms (正科级) only after 、 or
# in brackets; a post title (副县长, 主任科员 alone) is not a rank
_GRADE_WORD = (
    r"(?:[一二三四]级(?:巡视员|调研员|主任科员)|[一二]级科员"
    r"|(?:管理|专技|专业技术)(?:岗位?)?[一二三四五六七八九十]{1,2}级)"
)
_SHORT_WORD = r"(?:(?:厅局|县处|乡科)级[正副]职|[正副](?:厅|局|处|县|科)级?|试用期|未定级)"
_RANK_IN_POST = re.compile(rf"(?:({_GRADE_WORD})|(?:^|[、，,;；(\s])({_SHORT_WORD}))\)?\s*$")


@dataclass
class CareerLine:
    start: date
    end: date | None
    text: str


@dataclass
class LrmxForm:
    source: str  # the member's name inside the archive, for error messages
    name: str = ""
    gender: str = ""
    id_number: str = ""
    birth: str = ""
    post: str = ""
    reporting_unit: str = ""
    rank: str = ""  # only where 现任职务 names one (``rank_in_post``)
    jianli: str = ""  # 简历 as written, parsed again by the roster's 简历 column
    career: list[CareerLine] = field(default_factory=list)
    error: str = ""  # set when the file could not be read as a form

    def row(self) -> list[str]:
        return [
            self.name,
            self.gender,
            self.id_number,
            self.birth,
            self.post,
            self.rank,
            self.jianli,
        ]


def is_lrmx_upload(path: Path) -> bool:
    """A single form (XML with a <Person> root) or a zip whose members are .lrmx files."""
    with path.open("rb") as f:
        head = f.read(4096)
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                return any(_is_form_name(n) for n in archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return False
    return b"<Person" in head


def lrmx_table(path: Path) -> Table:
    """The forms of an upload as one roster table (header row first)."""
    forms = list(read_forms(path))
    rows = [(1, list(HEADER))] + [(n, form.row()) for n, form in enumerate(forms, start=2)]
    unreadable = {n: form.error for n, form in enumerate(forms, start=2) if form.error}
    return Table(name=path.name, rows=iter(rows), total=len(rows), unreadable=unreadable)


def read_forms(path: Path) -> Iterator[LrmxForm]:
    with path.open("rb") as f:
        head = f.read(len(ZIP_MAGIC))
    if head != ZIP_MAGIC:
        yield parse_form(path.read_bytes()[: MAX_FORM_BYTES + 1], source=path.name)
        return
    yield from _archive_forms(path)


def _archive_forms(path: Path) -> Iterator[LrmxForm]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise RosterFileError("not_spreadsheet", _("压缩包已损坏，无法打开。")) from None
    with archive:
        members = [i for i in archive.infolist() if _is_form_name(i.filename) and not i.is_dir()]
        if not members:
            raise RosterFileError("no_forms", _("压缩包里没有 .lrmx 任免审批表文件。"))
        if len(members) > MAX_FORMS:
            raise RosterFileError(
                "too_many_forms",
                _("压缩包里有 %(n_members)s 份任免审批表，一次最多 %(MAX_FORMS)s 份。")
                % {"n_members": len(members), "MAX_FORMS": MAX_FORMS},
            )
        if sum(i.file_size for i in members) > MAX_ARCHIVE_BYTES:
            raise RosterFileError(
                "archive_too_large", _("压缩包解压后过大，请分成几个压缩包导入。")
            )
        for info in sorted(members, key=lambda i: i.filename):
            name = _member_name(info)
            if info.file_size > MAX_FORM_BYTES:
                yield LrmxForm(source=name, error=f"{name}：文件过大，不像一份任免审批表。")
                continue
            with archive.open(info) as member:
                yield parse_form(member.read(MAX_FORM_BYTES + 1), source=name)


def _is_form_name(name: str) -> bool:
    return name.lower().endswith(".lrmx") and not name.startswith("__MACOSX/")


def _member_name(info: zipfile.ZipInfo) -> str:
    # zips made on Chinese Windows store names in GBK without the UTF-8 flag
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def parse_form(data: bytes, *, source: str) -> LrmxForm:
    """One form; a file that is not one comes back with ``error`` set (never raises)."""
    if len(data) > MAX_FORM_BYTES:
        return LrmxForm(source=source, error=f"{source}：文件过大，不像一份任免审批表。")
    if any(mark in data[:4096].upper() for mark in _FORBIDDEN):
        return LrmxForm(source=source, error=f"{source}：文件含有不允许的 XML 声明（DTD/实体）。")
    try:
        root = ElementTree.fromstring(_as_text(data))
    except (ElementTree.ParseError, UnicodeDecodeError, ValueError):
        return LrmxForm(source=source, error=f"{source}：不是有效的任免审批表（XML 无法解析）。")
    if _local(root.tag) != "Person":
        return LrmxForm(source=source, error=f"{source}：不是任免审批表（根元素不是 Person）。")
    values = {_local(child.tag): (child.text or "").strip() for child in root}
    form = LrmxForm(
        source=source,
        name=_clean(values.get("XingMing", "")),
        gender=_clean(values.get("XingBie", "")),
        id_number=_clean(values.get("ShenFenZheng", "")),
        birth=_birth(values.get("ChuShengNianYue", "")),
        post=_clean(values.get("XianRenZhiWu", "")),
        reporting_unit=_clean(values.get("ChengBaoDanWei", "")),
        rank=rank_in_post(values.get("XianRenZhiWu", "")),
        jianli=values.get("JianLi", ""),
        career=career_lines(values.get("JianLi", "")),
    )
    if not form.name:
        form.error = f"{source}：任免审批表缺少姓名。"
    return form


def career_lines(text: str) -> list[CareerLine]:
    """简历 lines → dated entries; continuation lines (indented, "其间…") join the entry above."""
    entries: list[CareerLine] = []
    for raw in unicodedata.normalize("NFKC", text or "").splitlines():
        match = _CAREER_LINE.match(raw)
        start = _month(match.group(1), match.group(2)) if match else None
        if match and start:
            end = _month(match.group(3), match.group(4)) if match.group(3) else None
            entries.append(CareerLine(start=start, end=end, text=match.group(5).strip()))
        elif entries and raw.strip():
            entries[-1].text = f"{entries[-1].text} {raw.strip()}".strip()
    return entries


def rank_in_post(post: str) -> str:
    """The rank 现任职务 ends in, or "" ("东江县民政局四级调研员" → 四级调研员; 副县长 → "")."""
    match = _RANK_IN_POST.search(_clean(post))
    return (match.group(1) or match.group(2)) if match else ""


def career_problems(lines: list[CareerLine], *, birth: date, today: date) -> list[str]:
    """What makes 简历 impossible, one message per line: starting before the birth month or
    after today, ending before it starts or after today, starting before the line above ends."""
    problems = []
    born = birth.replace(day=1)
    previous_end = None
    for line in lines:
        what = {"line": _line_label(line)}
        if line.start < born:
            problems.append(
                _("简历“%(line)s”开始于出生年月（%(birth)s）之前")
                % {**what, "birth": f"{birth:%Y.%m}"}
            )
        elif line.start > today or (line.end and line.end > today):
            problems.append(_("简历“%(line)s”晚于今天") % what)
        elif line.end and line.end < line.start:
            problems.append(_("简历“%(line)s”的结束早于开始") % what)
        elif previous_end is not None and line.start < previous_end:
            problems.append(
                _("简历“%(line)s”与上一段经历重叠（上一段至 %(end)s）")
                % {**what, "end": f"{previous_end:%Y.%m}"}
            )
        previous_end = line.end or line.start
    return problems


def _line_label(line: CareerLine) -> str:
    end = f"{line.end:%Y.%m}" if line.end else ""
    return f"{line.start:%Y.%m}—{end} {line.text[:30]}".strip()


def _month(year: str | None, month: str | None) -> date | None:
    try:
        return date(int(year or 0), int(month or 0), 1)
    except ValueError:
        return None


def _as_text(data: bytes) -> str:
    """The form as text. Expat knows no GB2312/GBK, which the editor declares on older forms, so
    the bytes are decoded here (GB18030 is their superset) and the declaration dropped."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    declared = _DECLARED.search(data[:200])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding.startswith("utf-16"):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8") if encoding in ("utf-8", "utf8") else data.decode("gb18030")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
    return _DECLARATION.sub("", text, count=1)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _clean(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).split())


def _birth(value: str) -> str:
    """'199001' / '19900115' / '1990.01' → '1990.01' (the roster's birth parser reads it)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 6:
        return f"{digits[:4]}.{digits[4:6]}"
    return _clean(value)
