"""Ambient, inherited scoping: the acting user is set once per unit of work (request, API token,
job, command); scoped managers narrow to it; children follow their parent; an unnarrowed scoped
queryset refuses to be embedded in another query."""

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponse
from django.test import RequestFactory

from ganxun.accounts.models import Role, User
from ganxun.budgets.models import Budget, Income
from ganxun.core.commands import ScopedCommand
from ganxun.core.jobs import job_handler, job_start
from ganxun.core.middleware import ActorMiddleware
from ganxun.core.models import Job
from ganxun.core.scoping import SYSTEM, ScopeError, acting_as, unscoped
from ganxun.orgs.models import Cadre
from tests.budgets.factories import make_budget, make_income
from tests.factories import make_user

pytestmark = pytest.mark.django_db


# --- subqueries -------------------------------------------------------------------------------


def test_an_unnarrowed_scoped_queryset_refuses_to_be_a_subquery(cadres):
    # given no actor in force, a scoped queryset embedded in another model's query
    # then building the query refuses, whichever way it is embedded
    with pytest.raises(ScopeError):
        User.objects.filter(cadre__in=Cadre.objects.all())
    with pytest.raises(ScopeError):
        User.objects.filter(Exists(Cadre.objects.filter(pk=OuterRef("cadre_id"))))
    with pytest.raises(ScopeError):
        User.objects.annotate(
            n=Subquery(Cadre.objects.filter(pk=OuterRef("cadre_id")).values("pk"))
        )


def test_a_narrowed_subquery_runs_and_narrows(city, cadres, town_contact):
    # a cadre outside the contact's town has an account; inside, another has one
    outside = make_user(city.town_a2, Role.TRAINEE, cadre=cadres["other_town"])
    inside = make_user(town_contact.org, Role.TRAINEE, cadre=cadres["inside"])
    visible = Cadre.objects.visible_to(town_contact)
    assert list(User.objects.filter(cadre__in=visible)) == [inside]
    with acting_as(town_contact):
        assert list(User.objects.filter(cadre__in=Cadre.objects.all())) == [inside]
    with unscoped():
        assert set(User.objects.filter(cadre__in=Cadre.objects.all())) == {inside, outside}


# --- children follow their parent -------------------------------------------------------------


def test_a_child_is_visible_exactly_when_its_parent_is(city, admin):
    # given budgets of two counties, each with income, and a budget officer of county A
    officer_a = make_user(city.county_a, Role.ADMIN)
    budget_a = make_budget(city.county_a, admin, title="东江")
    budget_b = make_budget(city.county_b, admin, title="西山")
    income_a = make_income(budget_a, admin)
    make_income(budget_b, admin)
    # then the officer sees county A's budget and only its income — with no hand-written join
    assert list(Budget.objects.visible_to(officer_a)) == [budget_a]
    assert list(Income.objects.visible_to(officer_a)) == [income_a]
    with acting_as(officer_a):
        assert list(budget_b.incomes.all()) == []
        assert list(budget_a.incomes.all()) == [income_a]
    # a child with no actor in force refuses like its parent
    with pytest.raises(ScopeError):
        list(Income.objects.all())


# --- units of work: request, job, command -----------------------------------------------------


def _roster_size(request):
    return HttpResponse(str(Cadre.objects.count()))


def test_a_request_sees_only_its_users_rows_without_visible_to(cadres, town_contact):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = town_contact
    assert ActorMiddleware(_roster_size)(request).content == b"2"
    request.user = AnonymousUser()  # an anonymous visitor is an actor that sees nothing
    assert ActorMiddleware(_roster_size)(request).content == b"0"
    with pytest.raises(ScopeError):  # and the actor ends with the request
        _roster_size(request)


@job_handler("test_roster_size")
def _job_roster_size(job, progress):
    return {"cadres": Cadre.objects.count()}


def test_a_job_runs_as_the_user_who_started_it_and_refuses_without_one(
    cadres, town_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=town_contact, kind="test_roster_size", title="x")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"cadres": 2}
    with pytest.raises(ScopeError):  # the same step outside the runner has no actor
        _job_roster_size(job, None)


class _RosterCommand(ScopedCommand):
    def handle(self, *args, **options):
        self.stdout.write(str(Cadre.objects.count()))


class _MaintenanceCommand(_RosterCommand):
    cross_tree = True


def test_a_command_refuses_without_an_actor_and_runs_as_one(cadres, town_contact, capsys):
    with pytest.raises(ScopeError):
        call_command(_RosterCommand())
    call_command(_RosterCommand(), "--as", town_contact.username)
    assert capsys.readouterr().out.strip() == "2"
    call_command(_MaintenanceCommand())  # a cross-tree command acts as SYSTEM, visibly
    assert capsys.readouterr().out.strip() == "4"


def test_visible_to_system_is_refused():
    with pytest.raises(ScopeError):
        Cadre.objects.visible_to(SYSTEM)
