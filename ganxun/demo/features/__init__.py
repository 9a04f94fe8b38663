"""The demo city's features: a catalogue, one program and one needs survey, so that every page
a demo account opens shows something.

Unlike the city itself (bulk INSERTs), this layer is small and goes through each app's own
services as the demo ``admin``, ``organizer`` and ``lecturer`` accounts: the rows are valid,
and the audit log shows who did what. Deterministic for a seed, except that dates are
relative to today (the program runs over the next three calendar months) so the trainee always
sees upcoming classes and an open survey.
"""

import random
import time
from dataclasses import dataclass

from django.db import transaction

from ganxun.accounts.models import User
from ganxun.core.scoping import unscoped
from ganxun.demo.accounts import DEMO_USERNAMES
from ganxun.demo.features.budgets import build_budgets
from ganxun.demo.features.catalogue import build_catalogue
from ganxun.demo.features.checkin import build_checkin
from ganxun.demo.features.credits import build_credits
from ganxun.demo.features.enrollment import build_enrollment
from ganxun.demo.features.evaluations import build_evaluations
from ganxun.demo.features.outcomes import build_outcomes
from ganxun.demo.features.program import build_program
from ganxun.demo.features.survey import build_survey


@dataclass(frozen=True)
class FeaturesSummary:
    courses: int
    lecturers: int
    sessions: int
    trainees: int
    respondents: int
    answered: int
    seconds: float


def demo_features(*, seed: int) -> FeaturesSummary:
    """Build the catalogue, the program and the survey on top of a freshly loaded city."""
    # Imported here: the demo city (orgs) is the foundation the other apps build on.

    started = time.perf_counter()
    rng = random.Random(f"features:{seed}")
    with unscoped(), transaction.atomic():
        users = {
            u.username: u
            for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related(
                "org", "cadre__unit"
            )
        }
        catalogue = build_catalogue(users, rng)
        program = build_program(users, catalogue, rng)
        build_budgets(users, rng)
        build_enrollment(users, rng)
        build_checkin(users, rng)
        survey = build_survey(users, rng)
        build_outcomes(users, rng)  # last: it reads the program, attendance and accounts
        # After outcomes and check-in: rates the finished cohort's classes (adding two taught by
        # the demo lecturer), before credits so those classes are credited too.
        build_evaluations(users, rng)
        build_credits(users, rng)  # after attendance and graduation: it credits them
    return FeaturesSummary(
        courses=len(catalogue.courses),
        lecturers=len(catalogue.lecturers),
        sessions=program.sessions,
        trainees=program.trainees,
        respondents=survey.respondents,
        answered=survey.answered,
        seconds=time.perf_counter() - started,
    )
