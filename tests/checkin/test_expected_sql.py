"""Check-in's hand-written "is this cadre expected" SQL says exactly what
``enrollment.expected.expected_trainees`` says, for every kind of session (issue 19: the
queryset is no longer compiled on each scan)."""

import pytest
from django.db import connection

from ganxun.core.scoping import unscoped
from ganxun.enrollment.expected import expected_sql, expected_trainees
from ganxun.enrollment.models import Seat
from ganxun.programs.models import ProgramTrainee
from tests.checkin.factories import session_now
from tests.enrollment.factories import make_selectable
from tests.factories import CadreFactory
from tests.programs.factories import make_program

pytestmark = pytest.mark.django_db


def _sql_says(session, cadre_id) -> bool:
    sql, params = expected_sql(session, cadre_id)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS ({sql})", params)
        return bool(cursor.fetchone()[0])


def test_expected_sql_agrees_with_the_queryset_on_every_kind_of_session(city):
    # given a program with trainees in batches 1 and 2, a walk-in and a self-selected one
    with unscoped():
        program = make_program(city.county_a)
        source = ProgramTrainee.Source
        kinds = [
            (1, source.ASSIGNED),
            (2, source.ASSIGNED),
            (None, source.ASSIGNED),
            (1, source.WALK_IN),
            (None, source.SELF_SELECTED),
            (2, source.RIDE_ALONG),
        ]
        cadres = []
        for batch, how in kinds:
            cadre = CadreFactory(unit=city.town_a1)
            ProgramTrainee.objects.create(program=program, cadre=cadre, batch=batch, source=how)
            cadres.append(cadre)
        stranger = CadreFactory(unit=city.town_a1)
        sessions = [
            session_now(program),  # every batch
            session_now(program, batch=1),
            session_now(program, batch=2),
            make_selectable(program),
        ]
        selectable = sessions[-1]
        Seat.objects.create(session=selectable, cadre=cadres[0], status=Seat.Status.ENROLLED)
        Seat.objects.create(session=selectable, cadre=cadres[1], status=Seat.Status.WAITLISTED)
        Seat.objects.create(session=selectable, cadre=cadres[4], status=Seat.Status.ENROLLED)
        Seat.objects.create(session=selectable, cadre=stranger, status=Seat.Status.ENROLLED)
    # when each cadre is asked about each session, then both definitions agree
    answers = []
    for session in sessions:
        for cadre in [*cadres, stranger]:
            orm = expected_trainees(session).filter(cadre_id=cadre.pk).exists()
            assert _sql_says(session, cadre.pk) == orm, (session.batch, cadre.pk)
            answers.append(orm)
    assert any(answers) and not all(answers)  # the cases differ
