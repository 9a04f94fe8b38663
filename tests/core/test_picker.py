"""The searchable picker: a new way to read data, so it answers only within the actor's scope,
bounded, for any input; and a form using it renders only what is chosen and validates as before."""

import re

import pytest
from django import forms

from ganxun.accounts.models import Role
from ganxun.core.forms import StyledForm
from ganxun.core.picker import LIMIT, use_picker
from ganxun.orgs.models import Org
from tests.factories import CadreFactory, make_org, make_user

pytestmark = pytest.mark.django_db


def options(client, kind, **params):
    response = client.get(f"/pick/{kind}/", params)
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'data-label="([^"]*)"', html), html


def test_a_county_admin_finds_only_orgs_of_their_county(city, login):
    client = login(make_user(city.county_a, Role.ADMIN, username="county_admin"))
    labels, _ = options(client, "org", q="镇")
    assert labels == ["东湖镇"]  # 北桥街道 and the city are outside
    labels, _ = options(client, "org", q="")
    assert "甬江市" not in labels and labels[0] == "东江县"  # the top of the subtree first
    labels, _ = options(client, "org", q="330202")  # a code of the other county
    assert labels == []


def test_within_narrows_to_a_subtree_but_never_widens_the_scope(city, login):
    client = login(make_user(city.county_a, Role.ADMIN, username="county_admin"))
    assert options(client, "org", q="", within=city.town_a1.pk)[0] == ["东湖镇", "东湖村"]
    assert options(client, "org", q="", within=city.county_b.pk)[0] == []
    assert options(client, "org", q="", within="99999999999999999999999")[0][0] == "东江县"


@pytest.mark.parametrize(
    "query",
    ["", "东", "东" * 200, "' OR 1=1 --", "%", "_", "<script>alert(1)</script>", "\x00", "🙂"],
)
def test_any_query_gets_a_bounded_answer_and_nothing_outside_the_scope(city, login, query):
    for n in range(LIMIT + 5):
        make_org(city.town_a1, name=f"东湖村民小组{n}", level="village", code=f"9{n:05d}")
    client = login(make_user(city.town_a1, Role.UNIT_CONTACT, username="c"))
    labels, html = options(client, "org", q=query)
    assert len(labels) <= LIMIT
    assert "<script>" not in html
    visible = set(Org.objects.visible_to(_user(client)).values_list("name", flat=True))
    assert set(labels) <= visible


def _user(client):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_more_than_the_limit_says_so(city, login):
    for n in range(LIMIT + 1):
        make_org(city.town_a1, name=f"小组{n}", level="village", code=f"8{n:05d}")
    _, html = options(login(make_user(city.city, Role.ADMIN, username="a")), "org", q="小组")
    assert f"只显示前 {LIMIT} 个" in html


def test_cadres_by_name_or_id_tail_within_the_scope(city, cadres, login):
    client = login(make_user(city.town_a1, Role.UNIT_CONTACT, username="c"))
    assert options(client, "cadre", q="张")[0] == ["张三"]
    assert options(client, "cadre", q="赵")[0] == []  # another county's cadre
    tail = cadres["inside_village"].id_tail
    assert options(client, "cadre", q=tail)[0] == ["李四"]


def test_unknown_kinds_and_signed_out_visitors_get_nothing(city, client, login):
    assert client.get("/pick/org/", {"q": "东"}).status_code == 302  # to the login page
    client = login(make_user(city.city, Role.ADMIN, username="a"))
    assert options(client, "secrets", q="x")[0] == []


class UnitForm(StyledForm):
    unit = forms.ModelChoiceField(label="单位", queryset=Org.objects.none())
    units = forms.ModelMultipleChoiceField(label="单位", queryset=Org.objects.none())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("unit", "units"):
            self.fields[name].queryset = Org.objects.visible_to(actor)
            use_picker(self.fields[name], "org")


def test_a_picker_form_renders_only_the_chosen_values_and_validates_against_the_scope(city):
    actor = make_user(city.county_a, Role.ADMIN, username="county_admin")
    for n in range(300):
        make_org(city.town_a1, name=f"村{n}", level="village", code=f"7{n:05d}")
    form = UnitForm(actor=actor, initial={"unit": city.town_a1.pk, "units": [city.town_a2.pk]})
    html = form.as_div()
    assert "<option" not in html and "村1" not in html  # 300 villages are not in the page
    assert f'value="{city.town_a1.pk}"' in html and "东湖镇" in html and "南岭乡" in html
    assert len(html) < 4000

    chosen = {"unit": city.town_a1.pk, "units": [city.town_a1.pk, city.town_a2.pk]}
    ok = UnitForm(chosen, actor=actor)
    assert ok.is_valid(), ok.errors
    assert set(ok.cleaned_data["units"]) == {city.town_a1, city.town_a2}

    outside = UnitForm({"unit": city.town_b1.pk, "units": [city.town_b1.pk]}, actor=actor)
    assert not outside.is_valid()
    assert set(outside.errors) == {"unit", "units"}
    # a refused value is not echoed back as a chip (its name would leak)
    assert "北桥街道" not in outside.as_div()


def test_a_chosen_cadre_shows_unit_and_id_tail_never_the_full_number(city, cadres):
    from ganxun.orgs.models import Cadre

    actor = make_user(city.city, Role.ADMIN, username="a")
    cadre = CadreFactory(unit=city.town_a1, name="钱七")

    class F(StyledForm):
        who = forms.ModelChoiceField(queryset=Cadre.objects.none())

        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self.fields["who"].queryset = Cadre.objects.visible_to(actor)
            use_picker(self.fields["who"], "cadre")

    client_html = F(initial={"who": cadre.pk}).as_div()
    assert "钱七" in client_html and cadre.id_number not in client_html
