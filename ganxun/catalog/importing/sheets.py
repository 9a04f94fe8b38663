"""What a course or faculty spreadsheet row means: cell values → the services' data classes.

Each sheet kind loads the reference data it needs once (themes, lecturers, categories, the rows
that already exist), turns a row into values for the columns the file has, and builds the data
a service will validate and save. Columns the file lacks keep the existing record's values.
"""

import re
from dataclasses import fields as dc_fields

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ganxun.catalog import services
from ganxun.catalog.importing.columns import (
    ACTIVE_WORDS,
    COURSE_COLUMNS,
    COURSE_STATUS_WORDS,
    EXTERNAL_WORDS,
    FORM_WORDS,
    KIND_WORDS,
    LECTURER_COLUMNS,
)
from ganxun.catalog.models import Course, Lecturer, Material, TeachingForm, Theme, split_tags
from ganxun.catalog.services import CourseData, LecturerData
from ganxun.orgs.idcard import InvalidIdNumber, parse_id_number
from ganxun.orgs.lookup import cadre_by_id_number
from ganxun.orgs.models import Cadre, CadreCategory
from ganxun.orgs.roster.parsing import RANK_WORDS, text

LIST_SPLIT = re.compile(r"[、,，;；\n]+")
HINT = re.compile(r"^(.+?)[（(](.+?)[)）]$")  # 张平（市人大）: a name and where they work


class CellError(ValueError):
    """One cell cannot be used; the message says what would fix it."""


def _items(value) -> list[str]:
    return [part.strip() for part in LIST_SPLIT.split(text(value)) if part.strip()]


def multiline(value) -> str:
    """Free text that keeps its line breaks (a summary, a bio): only each line is trimmed."""
    if value is None or value == "":
        return ""
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.strip() for line in lines).strip()


def _choice(value, words: dict, what: str):
    word = text(value).replace(" ", "")
    if word not in words:
        options = "、".join(dict.fromkeys(str(k) for k in words))
        raise CellError(
            _("无法识别的%(what)s“%(word)s”；可填：%(options)s")
            % {"what": what, "word": word, "options": options}
        )
    return words[word]


class Sheet:
    """Shared by both kinds: the columns, the matching key, and how values are shown."""

    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    noun: str
    data_class: type
    # A blank cell in these columns keeps the record's value (or the default for a new one);
    # in the others, a blank cell clears the value, as the file says.
    keep_if_blank: frozenset[str] = frozenset()

    def __init__(self, actor):
        self.actor = actor

    def label(self, header, field: str) -> str:
        column = header.columns.get(field)
        return column.label if column else self.columns[field][0]

    def parse(self, header, cells: list) -> tuple[dict, list[tuple[str, str]]]:
        values, errors = {}, []
        for field in self.columns:
            if not header.has(field):
                continue
            cell = header.cell(cells, field)
            if field in self.keep_if_blank and not text(cell):
                continue
            try:
                values[field] = getattr(self, f"cell_{field}", text)(cell)
            except CellError as exc:
                errors.append((field, str(exc)))
        return values, errors

    def build(self, existing, values: dict):
        """The record as it would be after this row: existing values, overridden by the file's."""
        data = self.data_of(existing) if existing is not None else self.data_class(**self.blank())
        for name, value in values.items():
            if name in {f.name for f in dc_fields(self.data_class)}:
                setattr(data, name, value)
        return data

    def changes(self, header, existing, data) -> list[tuple[str, str, str]]:
        before, after = self.shown(self.data_of(existing)), self.shown(data)
        return [
            (self.label(header, name), before[name], after[name])
            for name in after
            if header.has(name) and before[name] != after[name]
        ]


class CourseSheet(Sheet):
    columns, required, noun, data_class = COURSE_COLUMNS, ("title",), "课程", CourseData
    keep_if_blank = frozenset({"form", "hours", "status"})

    def __init__(self, actor):
        super().__init__(actor)
        self.themes = {t.name: t for t in Theme.objects.visible_to(actor).order_by("-owner__depth")}
        self.lecturers: dict[str, list[Lecturer]] = {}
        for lec in Lecturer.objects.visible_to(actor).only("id", "name", "affiliation"):
            self.lecturers.setdefault(lec.name, []).append(lec)
        self.categories = {c.name: c for c in CadreCategory.objects.all()}
        own = (
            Course.objects.visible_to(actor)
            .filter(owner=actor.org)
            .prefetch_related(
                # scope: the names the actor's own courses list, exported with them
                Prefetch("lecturers", queryset=Lecturer._base_manager.all()),
                # scope: likewise the materials the actor's own courses list
                Prefetch("materials", queryset=Material._base_manager.all()),
                "target_categories",
            )
        )
        self.existing = {c.title: c for c in own.select_related("theme")}

    def key(self, values: dict) -> str:
        return values.get("title", "")

    def blank(self) -> dict:
        return {"title": ""}

    def cell_title(self, value) -> str:
        return text(value)

    def cell_theme(self, value) -> Theme | None:
        name = text(value)
        if not name:
            return None
        if name not in self.themes:
            known = _("、").join(self.themes) or _("（尚未设置专题）")
            raise CellError(
                _("没有名为“%(name)s”的专题；可用的专题：%(known)s")
                % {"name": name, "known": known}
            )
        return self.themes[name]

    def cell_form(self, value) -> str:
        return _choice(value, FORM_WORDS, _("教学形式"))

    def cell_hours(self, value) -> str:
        return text(value)

    def cell_lecturers(self, value) -> list[Lecturer]:
        return [self._lecturer(item) for item in _items(value)]

    def _lecturer(self, item: str) -> Lecturer:
        name, hint = item, ""
        if match := HINT.match(item):
            name, hint = match.group(1).strip(), match.group(2).strip()
        found = [lec for lec in self.lecturers.get(name, []) if not hint or hint in lec.affiliation]
        if not found:
            raise CellError(
                _("师资库中没有“%(item)s”；请先在师资库中登记或导入师资") % {"item": item}
            )
        if len(found) > 1:
            raise CellError(
                _("师资库中有 %(count)s 位“%(name)s”；请写成“%(name2)s（工作单位）”")
                % {"count": len(found), "name": name, "name2": name}
            )
        return found[0]

    def cell_summary(self, value) -> str:
        return multiline(value)

    def cell_target_ranks(self, value) -> list[str]:
        return [_choice(item, RANK_WORDS, _("职级")) for item in _items(value)]

    def cell_target_categories(self, value) -> list[CadreCategory]:
        out = []
        for item in _items(value):
            if item not in self.categories:
                raise CellError(_("没有名为“%(item)s”的人员类别") % {"item": item})
            out.append(self.categories[item])
        return out

    def cell_status(self, value) -> str:
        return _choice(value, COURSE_STATUS_WORDS, _("状态"))

    def data_of(self, course: Course) -> CourseData:
        return CourseData(
            title=course.title,
            form=course.form,
            hours=course.hours,
            theme=course.theme,
            summary=course.summary,
            target_ranks=list(course.target_ranks),
            target_categories=list(course.target_categories.all()),
            lecturers=list(course.lecturers.all()),
            materials=list(course.materials.all()),
            status=course.status,
        )

    def shown(self, d: CourseData) -> dict[str, str]:
        ranks = dict(Cadre.Rank.choices)
        return {
            "title": d.title,
            "theme": d.theme.name if d.theme else "",
            "form": str(dict(TeachingForm.choices).get(d.form, d.form)),
            "hours": f"{float(d.hours):g}" if _is_number(d.hours) else str(d.hours),
            "lecturers": "、".join(lec.name for lec in d.lecturers),
            "target_ranks": "、".join(str(ranks.get(r, r)) for r in d.target_ranks),
            "target_categories": "、".join(c.name for c in d.target_categories),
            "summary": d.summary,
            "status": str(dict(Course.Status.choices).get(d.status, d.status)),
        }

    def validate(self, data: CourseData) -> CourseData:
        return services.course_validate(self.actor, data)

    def save(self, existing, data: CourseData):
        if existing is None:
            return services.course_create(actor=self.actor, data=data)
        return services.course_update(actor=self.actor, course=existing, data=data)


class LecturerSheet(Sheet):
    columns, required, noun, data_class = LECTURER_COLUMNS, ("name",), "师资", LecturerData
    keep_if_blank = frozenset({"kind", "is_external", "is_active"})

    def __init__(self, actor):
        super().__init__(actor)
        own = Lecturer.objects.visible_to(actor).filter(owner=actor.org).select_related("cadre")
        self.existing = {(lec.name, lec.affiliation): lec for lec in own}
        self.by_name: dict[str, list[Lecturer]] = {}
        for lec in self.existing.values():
            self.by_name.setdefault(lec.name, []).append(lec)

    def key(self, values: dict):
        name = "".join(values.get("name", "").split())
        if "affiliation" in values:
            return (name, values["affiliation"])
        same = self.by_name.get(name, [])
        return (name, same[0].affiliation) if len(same) == 1 else (name, "")

    def blank(self) -> dict:
        return {"name": ""}

    def cell_kind(self, value) -> str:
        return _choice(value, KIND_WORDS, _("师资类型"))

    def cell_bio(self, value) -> str:
        return multiline(value)

    def cell_specialties(self, value) -> str:
        return "、".join(split_tags(text(value)))

    def cell_is_external(self, value) -> bool:
        if isinstance(value, bool):
            return value
        return _choice(value, EXTERNAL_WORDS, _("内部/外聘"))

    def cell_is_active(self, value) -> bool:
        if isinstance(value, bool):
            return value
        return _choice(value, ACTIVE_WORDS, _("在库"))

    def cell_id_number(self, value) -> Cadre | None:
        raw = text(value)
        if not raw:
            return None
        try:
            idn = parse_id_number(raw)
        except InvalidIdNumber as exc:
            raise CellError(str(exc)) from None
        cadre = cadre_by_id_number(Cadre.objects.visible_to(self.actor), idn.value)
        if cadre is None:
            raise CellError(_("您的干部名册中没有该身份证号；不关联名册请留空"))
        return cadre

    def parse(self, header, cells):
        values, errors = super().parse(header, cells)
        if "id_number" in values:
            values["cadre"] = values.pop("id_number")
        return values, errors

    def data_of(self, lec: Lecturer) -> LecturerData:
        return LecturerData(**{f.name: getattr(lec, f.name) for f in dc_fields(LecturerData)})

    def shown(self, d: LecturerData) -> dict[str, str]:
        return {
            "name": d.name,
            "kind": str(dict(Lecturer.Kind.choices).get(d.kind, d.kind)),
            "affiliation": d.affiliation,
            "title": d.title,
            "specialties": d.specialties
            if isinstance(d.specialties, str)
            else "、".join(d.specialties),
            "is_external": "外聘" if d.is_external else "内部",
            "phone": d.phone,
            "availability": d.availability,
            "bio": d.bio,
            "is_active": "是" if d.is_active else "否",
            "id_number": d.cadre.id_number_masked if d.cadre else "",
        }

    def validate(self, data: LecturerData) -> LecturerData:
        return services.lecturer_validate(self.actor, data)

    def save(self, existing, data: LecturerData):
        if existing is None:
            return services.lecturer_create(actor=self.actor, data=data)
        return services.lecturer_update(actor=self.actor, lecturer=existing, data=data)


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


SHEETS = {"courses": CourseSheet, "lecturers": LecturerSheet}
