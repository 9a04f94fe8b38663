"""Catalogue objects for tests. Plain model creates (fast); services are what tests exercise."""

import itertools
from decimal import Decimal

from ganxun.accounts.models import Role
from ganxun.catalog.models import (
    Course,
    Lecturer,
    Material,
    Proposal,
    ProposalCall,
    TeachingForm,
    TeachingSite,
    Theme,
    TrainingBase,
)
from tests.factories import make_user

_n = itertools.count(1)


def make_theme(owner, name=None, color="#c0392b", **extra) -> Theme:
    return Theme.objects.create(owner=owner, name=name or f"专题{next(_n)}", color=color, **extra)


def make_lecturer(owner, name=None, **extra) -> Lecturer:
    extra.setdefault("kind", Lecturer.Kind.DEPT_HEAD)
    return Lecturer.objects.create(owner=owner, name=name or f"教师{next(_n)}", **extra)


def make_course(owner, title=None, *, lecturers=(), **extra) -> Course:
    extra.setdefault("status", Course.Status.PUBLISHED)
    extra.setdefault("form", TeachingForm.LECTURE)
    extra.setdefault("hours", Decimal("3"))
    course = Course.objects.create(owner=owner, title=title or f"课程{next(_n)}", **extra)
    for lecturer in lecturers:
        Course.lecturers.through.objects.create(course=course, lecturer=lecturer)
    return course


def make_site(owner, name=None, kind="红色教育", **extra) -> TeachingSite:
    return TeachingSite.objects.create(
        owner=owner, name=name or f"教学点{next(_n)}", kind=kind, **extra
    )


def make_base(owner, name=None, **extra) -> TrainingBase:
    return TrainingBase.objects.create(owner=owner, name=name or f"基地{next(_n)}", **extra)


def make_material(owner, title=None, kind=Material.Kind.BOOK, **extra) -> Material:
    return Material.objects.create(
        owner=owner, title=title or f"教材{next(_n)}", kind=kind, **extra
    )


def make_call(owner, *, organizer=None, reviewers=(), title=None) -> ProposalCall:
    organizer = organizer or make_user(owner, Role.ORGANIZER)
    call = ProposalCall.objects.create(
        owner=owner, created_by=organizer, title=title or f"课程征集{next(_n)}"
    )
    call.reviewers.set(reviewers)
    return call


def make_proposal(call, unit, proposer, title=None, **extra) -> Proposal:
    extra.setdefault("lecturer_name", "张平")
    extra.setdefault("outline", "一、形势\n二、任务\n三、方法")
    return Proposal.objects.create(
        call=call, unit=unit, proposer=proposer, title=title or f"申报{next(_n)}", **extra
    )


def foreign_catalog(city, other_admin) -> dict:
    """One of each catalogue object kept by 西山区 (not shared), keyed by the URL prefix that
    takes its id — for the URL walk in tests/test_scoping_http.py."""
    from ganxun.catalog.models import RoundEntry, SelectionRound, SiteVisit
    from ganxun.core.jobs import job_start

    west = city.county_b
    site = make_site(west, "西山红色教育基地")
    call = make_call(west, organizer=other_admin, reviewers=[other_admin])
    contact = make_user(city.town_b1, Role.UNIT_CONTACT)
    proposal = make_proposal(call, city.town_b1, contact, "西山区申报课程")
    rnd = SelectionRound.objects.create(call=call, seq=1, name="初选")
    entry = RoundEntry.objects.create(round=rnd, proposal=proposal)
    visit = SiteVisit.objects.create(
        site=site, visited_on="2024-05-01", group="西山班", headcount=30
    )
    job = job_start(actor=other_admin, kind="catalog_import_preview", title="x", params={})
    return {
        "catalog/themes/": make_theme(west, "西山专题").pk,
        "catalog/courses/": make_course(west, "西山课程").pk,
        "catalog/lecturers/": make_lecturer(west, "西山讲师").pk,
        "catalog/sites/": site.pk,
        "catalog/visits/": visit.pk,
        "catalog/bases/": make_base(west, "西山基地").pk,
        "catalog/materials/": make_material(west, "西山教材").pk,
        "catalog/calls/": call.pk,
        "catalog/rounds/": rnd.pk,
        "catalog/entries/": entry.pk,
        "catalog/proposals/": proposal.pk,
        "catalog/imports/": job.pk,
    }
