"""What is due now: classes tomorrow and within the hour, surveys closing, evaluation forms
closing, outlines due. Each function finds the occurrences whose moment has come (and not
passed), leaves out those already fired, and fires the rest — one key per occurrence, the
recipients as items of one send.

Who is told, from the owning apps' own definitions: a class's expected trainees
(``enrollment.expected``) less those on approved leave (``enrollment.selectors``) and its
lecturers with a roster record; a survey's invitations not yet submitted (``needs``); a
session's attendees who have not filled its form (``evaluations.selectors``); lecturers of an
outline not yet submitted (or returned), once per outline group (``programs.outline_groups``'
rule: one outline per course and lecturer in a program).
"""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ganxun.accounts.selectors import unit_contacts
from ganxun.enrollment.expected import expected_trainees
from ganxun.enrollment.selectors import approved_leave_cadre_ids
from ganxun.evaluations.selectors import attendees_without_form, form_closes_at
from ganxun.messaging.outbox import Outgoing, To
from ganxun.needs.models import NeedsSurvey, Respondent
from ganxun.programs import rooms
from ganxun.programs.models import OutlineStatus, Program, Session
from ganxun.reminders.send import Book, fire, fired_keys, local_text, stamp
from ganxun.reminders.switches import (
    CLASS_SOON,
    CLASS_TOMORROW,
    EVALUATION_DUE,
    KINDS,
    OUTLINE_DUE,
    SURVEY_DUE,
)
from ganxun.surveys.models import Questionnaire, Response

LIVE_PROGRAM = ~Q(program__status=Program.Status.CLOSED)


def _max_value(book: Book, kind: str) -> int:
    rows = [*book.org_rows[kind].values()]
    rows += [r for (_pid, k), r in book.program_rows.items() if k == kind]
    return max([KINDS[kind].timing.default, *(r.value or 0 for r in rows)])


# --- classes --------------------------------------------------------------------------------


def _tomorrow_due(session: Session, hour: int, now: datetime) -> bool:
    """From ``hour`` o'clock of the day before until that day ends."""
    day = timezone.localtime(session.starts_at).date()
    tz = timezone.get_current_timezone()
    at = timezone.make_aware(datetime.combine(day - timedelta(days=1), time(hour)), tz)
    midnight = timezone.make_aware(datetime.combine(day, time(0)), tz)
    return at <= now < midnight


def class_items(session: Session) -> list[Outgoing]:
    """The expected trainees (their own classroom) and the lecturers of one session."""
    subs = {v.pk: v for v in session.sub_venues.all()}
    names = {pk: v.name for pk, v in subs.items()}
    if session.main_venue is not None:
        names[session.main_venue.pk] = session.main_venue.name
    context = {
        "session": session.title,
        "program": session.program.full_name,
        "when": local_text(session.starts_at),
    }
    on_leave = set(approved_leave_cadre_ids(session))
    url = reverse("programs:my_progress", args=[session.program_id])
    items = []
    for cadre_id, venue_id in expected_trainees(session).values_list("cadre_id", "venue_id"):
        if cadre_id in on_leave:
            continue
        room = rooms.room_id(session.main_venue_id, subs, venue_id)
        items.append(
            Outgoing(
                to=To.cadre(cadre_id),
                context={**context, "room": names.get(room, "待定")},
                url=url,
            )
        )
    main = session.main_venue.name if session.main_venue else "待定"
    teaching = reverse("programs:session", args=[session.pk])
    seen = set()
    for lecturer in session.lecturers.all():
        if lecturer.cadre_id and lecturer.cadre_id not in seen:
            seen.add(lecturer.cadre_id)
            items.append(
                Outgoing(
                    to=To.cadre(lecturer.cadre_id), context={**context, "room": main}, url=teaching
                )
            )
    return items


def classes(now: datetime, book: Book) -> dict[str, int]:
    sessions = list(
        Session.objects.filter(
            LIVE_PROGRAM,
            status=Session.Status.SCHEDULED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=48),
        )
        .select_related("program__org", "main_venue")
        .prefetch_related("sub_venues", "lecturers")
    )
    due: list[tuple[str, str, Session]] = []
    for s in sessions:
        tomorrow = book.for_program(CLASS_TOMORROW, s.program)
        if tomorrow.enabled and _tomorrow_due(s, tomorrow.value, now):
            due.append((f"{CLASS_TOMORROW}:session:{s.pk}:{stamp(s.starts_at)}", CLASS_TOMORROW, s))
        soon = book.for_program(CLASS_SOON, s.program)
        if soon.enabled and s.starts_at - timedelta(minutes=soon.value) <= now:
            due.append((f"{CLASS_SOON}:session:{s.pk}:{stamp(s.starts_at)}", CLASS_SOON, s))
    done = fired_keys(k for k, _kind, _s in due)
    sent = {CLASS_TOMORROW: 0, CLASS_SOON: 0}
    for key, kind, s in due:
        if key not in done:
            sent[kind] += fire(key=key, kind=kind, items=class_items(s), program=s.program)
    return sent


# --- surveys --------------------------------------------------------------------------------


def survey_items_by_unit(survey: NeedsSurvey, respondents) -> dict[int, tuple]:
    """{unit id: (unit name, people, contacts)}: each non-respondent with a roster record, and
    the unit's contacts with its count. ``respondents``: the Respondent rows to tell (not
    submitted). Two queries whatever the number of units."""
    q = survey.questionnaire
    deadline = local_text(q.closes_at) if q.closes_at else "—"
    context = {"survey": q.title, "deadline": deadline}
    units: dict[int, tuple] = {}
    for pk, cadre_id, unit_id, unit_name in respondents.values_list(
        "pk", "cadre_id", "unit_id", "unit__name"
    ).order_by("unit_id", "pk"):
        _name, people, _contacts, count = units.get(unit_id, (unit_name, [], [], 0))
        if cadre_id:
            url = reverse("needs:answer_mine", args=[pk])
            people.append(Outgoing(to=To.cadre(cadre_id), context=context, url=url))
        units[unit_id] = (unit_name, people, [], count + 1)
    url = reverse("needs:respondents", args=[survey.pk])
    found = unit_contacts(units)
    out = {}
    for unit_id, (unit_name, people, contacts, count) in units.items():
        ctx = {**context, "unit": unit_name, "count": str(count)}
        for user in found.get(unit_id, []):
            contacts.append(Outgoing(to=To.user(user), context=ctx, url=f"{url}?unit={unit_id}"))
        out[unit_id] = (unit_name, people, contacts)
    return out


def survey_items(survey: NeedsSurvey, respondents) -> tuple[list[Outgoing], list[Outgoing]]:
    """Everyone to tell, and every contact to tell, over all units."""
    people, contacts = [], []
    for _name, unit_people, unit_contacts_ in survey_items_by_unit(survey, respondents).values():
        people += unit_people
        contacts += unit_contacts_
    return people, contacts


def not_submitted(survey: NeedsSurvey):
    # scope: the invitations of a survey the caller holds
    return Respondent._base_manager.filter(survey=survey).exclude(
        response__status=Response.Status.SUBMITTED
    )


def surveys(now: datetime, book: Book) -> dict[str, int]:
    lead = timedelta(hours=_max_value(book, SURVEY_DUE))
    candidates = NeedsSurvey.objects.filter(
        questionnaire__status=Questionnaire.Status.OPEN,
        questionnaire__closes_at__gt=now,
        questionnaire__closes_at__lte=now + lead,
    ).select_related("questionnaire__org")
    due = []
    for survey in candidates:
        q = survey.questionnaire
        setting = book.for_path(SURVEY_DUE, q.org.path)
        if setting.enabled and q.closes_at - timedelta(hours=setting.value) <= now:
            due.append((f"{SURVEY_DUE}:survey:{survey.pk}:{stamp(q.closes_at)}", survey))
    done = fired_keys([k for k, _s in due] + [f"{k}:units" for k, _s in due])
    sent = 0
    for key, survey in due:
        if key in done and f"{key}:units" in done:
            continue
        people, contacts = survey_items(survey, not_submitted(survey))
        org = survey.questionnaire.org
        if key not in done:
            sent += fire(key=key, kind="survey_due", items=people, org=org)
        if f"{key}:units" not in done:
            sent += fire(key=f"{key}:units", kind="survey_due_unit", items=contacts, org=org)
    return {SURVEY_DUE: sent}


# --- evaluation forms -----------------------------------------------------------------------


def evaluation_items(session: Session, cadre_ids: list[int], closes: datetime) -> list[Outgoing]:
    context = {
        "session": session.title,
        "program": session.program.full_name,
        "deadline": local_text(closes),
    }
    url = reverse("evaluations:session_form", args=[session.pk])
    return [Outgoing(to=To.cadre(c), context=context, url=url) for c in cadre_ids]


def evaluations(now: datetime, book: Book) -> dict[str, int]:
    sessions = list(
        Session.objects.filter(
            LIVE_PROGRAM,
            status=Session.Status.SCHEDULED,
            ends_at__lte=now,
            ends_at__gt=now - timedelta(days=31),
        ).select_related("program__org")
    )
    windows = form_closes_at(sessions)
    due = []
    for s in sessions:
        opens, closes = windows[s.pk]
        setting = book.for_program(EVALUATION_DUE, s.program)
        if setting.enabled and opens <= now < closes <= now + timedelta(hours=setting.value):
            due.append((f"{EVALUATION_DUE}:session:{s.pk}:{stamp(closes)}", s, closes))
    done = fired_keys(k for k, _s, _c in due)
    due = [d for d in due if d[0] not in done]
    missing = attendees_without_form([s for _k, s, _c in due])
    sent = 0
    for key, s, closes in due:
        items = evaluation_items(s, missing[s.pk], closes)
        sent += fire(key=key, kind="evaluation_due", items=items, program=s.program)
    return {EVALUATION_DUE: sent}


# --- outlines -------------------------------------------------------------------------------

PENDING_OUTLINE = (OutlineStatus.NONE, OutlineStatus.RETURNED)


def outline_items(session: Session, lecturers, due_at: datetime) -> list[Outgoing]:
    context = {
        "session": session.title,
        "program": session.program.full_name,
        "when": local_text(session.starts_at),
        "deadline": local_text(due_at),
    }
    url = reverse("programs:outline_submit", args=[session.pk])
    return [Outgoing(to=To.cadre(lec.cadre_id), context=context, url=url) for lec in lecturers]


def outline_groups(sessions: list[Session]) -> list[tuple[Session, list]]:
    """One entry per outline (course and lecturer in a program: the earliest session of the
    group), each with the lecturers who have a roster record."""
    seen: set[tuple] = set()
    out = []
    for s in sorted(sessions, key=lambda s: (s.starts_at, s.pk)):
        lecturers = []
        for lec in s.lecturers.all():
            group = (s.program_id, s.course_id or f"s{s.pk}", lec.pk)
            if lec.cadre_id and group not in seen:
                seen.add(group)
                lecturers.append(lec)
        if lecturers:
            out.append((s, lecturers))
    return out


def outlines(now: datetime, book: Book) -> dict[str, int]:
    lead = timedelta(hours=_max_value(book, OUTLINE_DUE))
    sessions = list(
        Session.objects.filter(
            LIVE_PROGRAM,
            status=Session.Status.SCHEDULED,
            outline_status__in=PENDING_OUTLINE,
            starts_at__gt=now,
        )
        .filter(
            Q(outline_due_at__gt=now, outline_due_at__lte=now + lead)
            | Q(outline_due_at__isnull=True, starts_at__lte=now + lead + timedelta(days=90))
        )
        .select_related("program__org")
        .prefetch_related("lecturers")
    )
    due = []
    for s in sessions:
        due_at = s.outline_due()
        setting = book.for_program(OUTLINE_DUE, s.program)
        if setting.enabled and now < due_at <= now + timedelta(hours=setting.value):
            due.append(s)
    sent = 0
    groups = outline_groups(due)
    keys = {
        (s.pk, lec.pk): f"{OUTLINE_DUE}:session:{s.pk}:lecturer:{lec.pk}:{stamp(s.outline_due())}"
        for s, lecturers in groups
        for lec in lecturers
    }
    done = fired_keys(keys.values())
    for s, lecturers in groups:
        for lec in lecturers:
            key = keys[(s.pk, lec.pk)]
            if key not in done:
                items = outline_items(s, [lec], s.outline_due())
                sent += fire(key=key, kind="outline_due", items=items, program=s.program)
    return {OUTLINE_DUE: sent}
