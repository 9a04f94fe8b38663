"""催办: one click from a tracking page tells those who have not acted yet — a survey's
non-respondents (and their units' contacts), a program's attendees who have not filled the
evaluation form, lecturers whose outline is not in, units that nominated nobody (enrollment's
own ``quotas_remind``). At most once a day per target (``core.notices.remind_due``); the page
shows how many will be told before the organizer confirms (``*_plan``), and the write
recomputes the plan inside its transaction, so what is sent is what holds then.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ganxun.accounts.models import User
from ganxun.core.audit import audit_record
from ganxun.core.errors import PermissionDenied
from ganxun.core.notices import remind_due
from ganxun.core.scoping import refetch
from ganxun.evaluations.selectors import attendees_without_form, form_closes_at
from ganxun.messaging import outbox
from ganxun.messaging.outbox import Outgoing
from ganxun.needs import policies as needs_policies
from ganxun.needs import selectors as needs_selectors
from ganxun.needs.models import NeedsSurvey
from ganxun.orgs.models import Org
from ganxun.programs import policies as program_policies
from ganxun.programs.models import Program, Session
from ganxun.reminders.due import (
    PENDING_OUTLINE,
    evaluation_items,
    outline_groups,
    outline_items,
    survey_items_by_unit,
)
from ganxun.reminders.errors import ReminderError
from ganxun.reminders.models import ChaseMark


@dataclass
class Target:
    """One thing chased at most once a day: a survey's unit, a session's form, an outline."""

    key: str
    unit: Org
    label: str
    people: list[Outgoing] = field(default_factory=list)
    contacts: list[Outgoing] = field(default_factory=list)
    last: datetime | None = None

    @property
    def due(self) -> bool:
        return remind_due(self.last)


@dataclass
class Plan:
    """Who a 催办 would tell now: per target, and in total over the targets due today."""

    kind: str
    contact_kind: str = ""
    targets: list[Target] = field(default_factory=list)

    @property
    def due(self) -> list[Target]:
        return [t for t in self.targets if t.due]

    @property
    def people(self) -> int:
        return sum(len(t.people) for t in self.due)

    @property
    def contacts(self) -> int:
        return len({o.to for t in self.due for o in t.contacts})

    @property
    def skipped(self) -> list[Target]:
        return [t for t in self.targets if not t.due]


def _marks(plan: Plan) -> Plan:
    """Fill each target's last 催办 from the marks (one query)."""
    keys = {t.key for t in plan.targets}
    if keys:
        # scope: the marks of targets the caller's plan holds (already authorised)
        rows = ChaseMark._base_manager.filter(target__in=keys).values_list(
            "target", "unit_id", "reminded_at"
        )
        last = {(k, u): at for k, u, at in rows}
        for t in plan.targets:
            t.last = last.get((t.key, t.unit.pk))
    return plan


def _execute(*, actor: User, plan: Plan, obj, what: str, program=None, org=None) -> dict:
    if not any(t.people or t.contacts for t in plan.targets):
        raise ReminderError("nothing_to_chase", _("没有需要催办的人：都已完成。"))
    due = [t for t in plan.due if t.people or t.contacts]
    if not due:
        raise ReminderError("chased_today", _("今天已催办过，每个对象每天最多催办一次。"))
    now = timezone.now()
    # the same targets, last chased at the same moments: a repeat of this very chase (a double
    # click, a retried post) — once a day has passed, their last chase moved and the key with it
    marks = "|".join(f"{t.key}:{t.unit.pk}:{t.last.isoformat() if t.last else ''}" for t in due)
    digest = hashlib.sha256(marks.encode()).hexdigest()
    key = f"chase:{what}:{timezone.localdate(now).isoformat()}:{digest[:16]}"
    program_id = getattr(program, "pk", None)
    org_id = getattr(org, "pk", None) or getattr(program, "org_id", None)
    people = [o for t in due for o in t.people]
    sent = outbox.send_each(
        kind=plan.kind, items=people, program_id=program_id, org_id=org_id, key=key, sender=actor
    )
    contacts = [o for t in due for o in t.contacts]
    if contacts:
        sent += outbox.send_each(
            kind=plan.contact_kind,
            items=contacts,
            program_id=program_id,
            org_id=org_id,
            key=f"{key}:units",
            sender=actor,
        )
    for t in due:
        ChaseMark._base_manager.update_or_create(  # scope: marks of the targets just chased
            target=t.key, unit=t.unit, defaults={"reminded_at": now, "reminded_by": actor}
        )
    audit_record(
        actor=actor,
        action="update",
        obj=obj,
        changes={"chased": [None, {"targets": [t.label for t in due], "notices": sent}]},
    )
    return {
        "targets": len(due),
        "people": len(people),
        "notices": sent,
        "skipped": len(plan.targets) - len(due),
    }


# --- surveys ---------------------------------------------------------------------------------


def survey_plan(*, actor: User, survey: NeedsSurvey, node: Org) -> Plan:
    """The non-respondents under ``node`` the actor sees, one target per unit."""
    plan = Plan(kind="survey_due", contact_kind="survey_due_unit")
    if not survey.questionnaire.is_accepting():
        return plan
    rows = needs_selectors.non_respondents(actor, survey, node)
    grouped = survey_items_by_unit(survey, rows)
    units = Org.objects.visible_to(actor).in_bulk(list(grouped))
    for unit_id, unit in sorted(units.items(), key=lambda u: u[1].path):
        _name, people, contacts = grouped[unit_id]
        plan.targets.append(Target(f"survey:{survey.pk}", unit, unit.name, people, contacts))
    return _marks(plan)


@transaction.atomic
def survey_chase(*, actor: User, survey: NeedsSurvey, node: Org) -> dict:
    if not needs_policies.can_track_needs(actor):
        raise PermissionDenied()
    refetch(survey, lock=True)  # one 催办 of a survey at a time
    plan = survey_plan(actor=actor, survey=survey, node=node)
    return _execute(actor=actor, plan=plan, obj=survey, what=f"survey:{survey.pk}", org=node)


# --- evaluation forms ---------------------------------------------------------------------------


def evaluation_plan(*, actor: User, program: Program, now: datetime | None = None) -> Plan:
    """Every session of the program whose form is open now: its attendees without a form."""
    now = now or timezone.now()
    plan = Plan(kind="evaluation_due")
    sessions = list(
        Session.objects.visible_to(actor)
        .filter(program=program, status=Session.Status.SCHEDULED, ends_at__lte=now)
        .select_related("program")
        .order_by("starts_at", "pk")
    )
    windows = form_closes_at(sessions)
    open_now = [s for s in sessions if windows[s.pk][0] <= now < windows[s.pk][1]]
    missing = attendees_without_form(open_now)
    for s in open_now:
        items = evaluation_items(s, missing[s.pk], windows[s.pk][1])
        plan.targets.append(Target(f"evaluation:{s.pk}", program.org, s.title, items))
    return _marks(plan)


@transaction.atomic
def evaluation_chase(*, actor: User, program: Program) -> dict:
    if not program_policies.can_manage_program(actor, program):
        raise PermissionDenied()
    refetch(program, lock=True)
    plan = evaluation_plan(actor=actor, program=program)
    return _execute(
        actor=actor, plan=plan, obj=program, what=f"evaluation:{program.pk}", program=program
    )


# --- outlines ---------------------------------------------------------------------------------


def outline_plan(*, actor: User, program: Program, now: datetime | None = None) -> Plan:
    """Upcoming sessions of the program whose outline is not in: each outline's lecturers."""
    now = now or timezone.now()
    plan = Plan(kind="outline_due")
    sessions = list(
        Session.objects.visible_to(actor)
        .filter(
            program=program,
            status=Session.Status.SCHEDULED,
            outline_status__in=PENDING_OUTLINE,
            starts_at__gt=now,
        )
        .select_related("program")
        .prefetch_related("lecturers")
    )
    for s, lecturers in outline_groups(sessions):
        items = outline_items(s, lecturers, s.outline_due())
        plan.targets.append(Target(f"outline:{s.pk}", program.org, s.title, items))
    return _marks(plan)


@transaction.atomic
def outline_chase(*, actor: User, program: Program) -> dict:
    if not program_policies.can_manage_program(actor, program):
        raise PermissionDenied()
    refetch(program, lock=True)
    plan = outline_plan(actor=actor, program=program)
    return _execute(
        actor=actor, plan=plan, obj=program, what=f"outline:{program.pk}", program=program
    )
