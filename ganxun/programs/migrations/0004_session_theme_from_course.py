"""Sessions take their teaching form, theme and lecturers from the chosen course.

Existing sessions whose course is known are corrected: a session left at the default 专题讲座
takes the course's form, one without a theme takes the course's theme, one without lecturers
takes the course's lecturers.
"""

import django.db.models.deletion
from django.db import migrations, models

LECTURE = "lecture"


def from_course(apps, schema_editor):
    Session = apps.get_model("programs", "Session")
    Course = apps.get_model("catalog", "Course")
    sessions = Session._base_manager.filter(course__isnull=False)
    courses = {
        c.pk: c
        for c in Course._base_manager.filter(
            pk__in=sessions.values("course_id").distinct()
        ).only("id", "form", "theme_id")
    }
    course_lecturers: dict[int, list[int]] = {}
    for course_id, lecturer_id in Course.lecturers.through._base_manager.filter(
        course_id__in=list(courses)
    ).values_list("course_id", "lecturer_id"):
        course_lecturers.setdefault(course_id, []).append(lecturer_id)
    through = Session.lecturers.through
    taught = set(
        through._base_manager.filter(session__course__isnull=False)
        .values_list("session_id", flat=True)
        .distinct()
    )
    links = []
    for session in sessions.only("id", "course_id", "form", "theme_id").iterator():
        course = courses[session.course_id]
        changed = []
        if session.form == LECTURE and course.form != LECTURE:
            session.form = course.form
            changed.append("form")
        if session.theme_id is None and course.theme_id:
            session.theme_id = course.theme_id
            changed.append("theme")
        if changed:
            session.save(update_fields=changed)
        if session.pk not in taught:
            links += [
                through(session_id=session.pk, lecturer_id=lid)
                for lid in course_lecturers.get(course.pk, [])
            ]
    through._base_manager.bulk_create(links, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("programs", "0003_program_channel"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="theme",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="catalog.theme",
                verbose_name="专题",
            ),
        ),
        migrations.RunPython(from_course, migrations.RunPython.noop),
    ]
