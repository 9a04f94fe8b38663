"""Evaluations objects for tests: attendances, a past session with trainees, posted answers."""

from datetime import timedelta

from django.utils import timezone

from ganxun.checkin.models import Attendance
from ganxun.core.scoping import unscoped
from ganxun.evaluations.services import setup_ensure
from ganxun.surveys.answering import load_items


def make_attendance(session, cadre, when=None) -> Attendance:
    return Attendance.objects.create(
        session=session,
        cadre=cadre,
        checked_in_at=when or session.starts_at,
        method=Attendance.Method.QR,
    )


def past_window(hours_ago: float = 1.0):
    """(starts_at, ends_at) of a three-hour class that ended ``hours_ago`` hours ago."""
    ends = timezone.now() - timedelta(hours=hours_ago)
    return ends - timedelta(hours=3), ends


def form_post(program, scores=(5, 4, 4, 5, 5), text: str = "") -> dict:
    """POST data for the program's form: ``scores`` for the rating questions in order."""
    questionnaire = setup_ensure(program).questionnaire
    with unscoped():
        items = load_items(questionnaire)
    data, ratings = {}, iter(scores)
    for item in items:
        q = item.question
        if q.kind == "rating":
            value = next(ratings, None)
            if value is not None:
                data[f"q{q.pk}"] = str(value)
        elif q.is_text and text:
            data[f"q{q.pk}"] = text
    return data


class Post(dict):
    """A dict with ``getlist`` like a QueryDict, for calling services directly."""

    def getlist(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def foreign_evaluations(city, other_admin) -> dict:
    """One of each evaluations object kept by 西山区, keyed by URL prefix (more specific
    first), for the URL walk in tests/test_scoping_http.py."""
    from ganxun.evaluations.models import Assessment, BankQuestion
    from ganxun.orgs.models import Cadre
    from tests.catalog.factories import make_course, make_lecturer, make_theme
    from tests.factories import CadreFactory
    from tests.programs.factories import make_program, make_session, make_venue

    west = city.county_b
    program = make_program(west, organizer=other_admin, name="西山区评估班")
    lecturer = make_lecturer(west, "西山评估讲师")
    theme = make_theme(west, "西山评估专题")
    course = make_course(west, "西山评估课程", theme=theme)
    venue = make_venue(west, "西山区评估教室")
    starts, ends = past_window()
    session = make_session(
        program, starts, ends, lecturers=[lecturer], main_venue=venue, course=course
    )
    with unscoped():
        cadre = Cadre.objects.filter(unit=city.town_b1).first()
    cadre = cadre or CadreFactory(unit=city.town_b1)
    make_attendance(session, cadre)
    test = Assessment.objects.create(program=program, kind="pre", title="西山前测")
    question = BankQuestion.objects.create(
        owner=west, kind="truefalse", text="西山题", options=["正确", "错误"], correct=[0]
    )
    return {
        "evaluations/sessions/": session.pk,
        "evaluations/programs/": program.pk,
        "evaluations/lecturers/": lecturer.pk,
        "evaluations/courses/": course.pk,
        "evaluations/themes/": theme.pk,
        "evaluations/orgs/": city.town_b1.pk,
        "evaluations/venues/": venue.pk,
        "evaluations/tests/": test.pk,
        "evaluations/bank/": question.pk,
    }
