"""Scoped models fail closed: a query that forgot the actor raises instead of leaking."""

import pytest

from ganxun.core.scoping import ScopeError, unscoped
from ganxun.orgs.models import Cadre, Org


def test_an_unscoped_query_raises(cadres):
    # given cadres in the database
    # when code forgets to say whose view it is
    # then the query refuses to run, whichever way it is evaluated
    with pytest.raises(ScopeError):
        list(Cadre.objects.all())
    with pytest.raises(ScopeError):
        Cadre.objects.filter(name="张三").count()
    with pytest.raises(ScopeError):
        Cadre.objects.exists()
    with pytest.raises(ScopeError):
        Org.objects.first()
    with pytest.raises(ScopeError):
        Cadre.objects.update(note="x")


def test_visible_to_cuts_the_roster_to_the_actors_subtree(cadres, town_contact):
    names = set(Cadre.objects.visible_to(town_contact).values_list("name", flat=True))
    assert names == {"张三", "李四"}


def test_unscoped_block_is_the_visible_escape_hatch(cadres):
    with unscoped():
        assert Cadre.objects.count() == 4


def test_trainee_sees_only_own_record(city, cadres):
    from ganxun.accounts.models import Role
    from tests.factories import make_user

    trainee = make_user(city.town_a1, Role.TRAINEE, cadre=cadres["inside"])
    assert list(Cadre.objects.visible_to(trainee)) == [cadres["inside"]]


def test_lecturer_without_roster_role_sees_no_cadres(city, cadres):
    from ganxun.accounts.models import Role
    from tests.factories import make_user

    lecturer = make_user(city.city, Role.LECTURER)
    assert Cadre.objects.visible_to(lecturer).count() == 0


def test_inactive_account_sees_nothing(admin, cadres):
    admin.is_active = False
    assert Cadre.objects.visible_to(admin).count() == 0
    assert Org.objects.visible_to(admin).count() == 0
