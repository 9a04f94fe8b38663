"""Factories for the foundation's models; orgs get their materialized path from the service."""

import itertools
from datetime import date

import factory

from ganxun.accounts.models import RoleGrant, User
from ganxun.orgs.idcard import make_id_number
from ganxun.orgs.models import Cadre, CadreCategory, Org
from ganxun.orgs.services import _insert_org, rank_title_for_level

_codes = itertools.count(1)


def make_org(
    parent: Org | None = None,
    *,
    name: str | None = None,
    level: str | None = None,
    code: str | None = None,
) -> Org:
    n = next(_codes)
    if level is None:
        level = (
            "city"
            if parent is None
            else {"city": "county", "county": "township"}.get(parent.level, "village")
        )
    return _insert_org(
        parent=parent, code=code or f"T{n:05d}", name=name or f"测试组织{n}", level=level
    )


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    name = factory.Sequence(lambda n: f"干部{n}")
    gender = "M"
    id_number = factory.Sequence(
        lambda n: make_id_number(
            f"{110101 + n // 400:06d}", date(1980, 1, 1 + n % 28), (n % 400) * 2 + 1
        )
    )
    id_tail = factory.LazyAttribute(lambda o: o.id_number[-4:])
    birth_date = factory.LazyAttribute(
        lambda o: date(int(o.id_number[6:10]), int(o.id_number[10:12]), int(o.id_number[12:14]))
    )
    rank = Cadre.Rank.SECTION_MAIN
    # the leading-post rank of that level, as the services record a bare level
    rank_title = factory.LazyAttribute(lambda o: rank_title_for_level(o.rank))
    position = "科员"
    status = Cadre.Status.ACTIVE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = model_class(*args, **kwargs)
        obj.save()
        return obj


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CadreCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat{n}")
    name = factory.Sequence(lambda n: f"类别{n}")


PASSWORD = "Test@Pass1"


def make_user(
    org: Org,
    *roles: str,
    username: str | None = None,
    cadre: Cadre | None = None,
    must_change_password: bool = False,
) -> User:
    n = next(_codes)
    user = User(
        username=username or f"user{n}",
        display_name=f"用户{n}",
        org=org,
        cadre=cadre,
        must_change_password=must_change_password,
    )
    user.set_password(PASSWORD)
    user.save()
    for role in roles:
        RoleGrant.objects.create(user=user, role=role)
    return user
