"""Out-of-range values never answer 500 (issue 25 item 9).

The walk: every page of the site, opened by the administrator who owns the objects it names,
with every date/integer/decimal query value at the edges people (and scanners) type —
``9999-12-31``, ``0001-01-01``, ``1e309``, 2⁶³ — and every form on it posted with those values
in its date, number and select fields. Each answer must be below 500 (a page, a redirect, or a
form with the message beside the field)."""

import re
from urllib.parse import urlencode

import pytest

from ganxun.accounts.models import Role
from tests.factories import CadreFactory, make_user
from tests.test_scoping_http import fill, foreign, walk  # noqa: F401  (the fixture)

HUGE_INT = str(2**63)
EDGES = [
    {"date": "9999-12-31", "int": "9999", "decimal": "1e309"},
    {"date": "0001-01-01", "int": HUGE_INT, "decimal": "-1e309"},
    {"date": "9999-12-31T23:59", "int": "-" + HUGE_INT, "decimal": "1e-400"},
    # "²".isdigit() is true but int("²") fails; NaN is a Decimal no comparison accepts
    {"date": "2030-02-30", "int": "²", "decimal": "NaN"},
]
# Query keys the pages read directly (calendars, filters, lists, statistics).
QUERY_KEYS = {
    "date": "date",
    "date_from": "date",
    "date_to": "date",
    "start": "date",
    "end": "date",
    "year": "int",
    "month": "int",
    "page": "int",
    "batch": "int",
    "unit": "int",
    "org": "int",
    "session": "int",
    "program": "int",
    "replace": "int",
    "amount": "decimal",
}
INPUT = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.S)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')
SKIP = ("logout", "delete", "remove", "revoke", "purge", "restore", "healthz", "metrics")


def form_fields(html: str) -> dict[str, str]:
    """{name: kind} for the page's date, number and select inputs."""
    fields = {}
    for tag, attrs in INPUT.findall(html):
        a = dict(ATTR.findall(attrs))
        name, kind = a.get("name"), a.get("type", "")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if kind in ("date", "datetime-local"):
            fields[name] = "date"
        elif kind == "number":
            step = a.get("step", "")
            fields[name] = "decimal" if "any" in step or "." in step else "int"
        elif tag == "select":
            fields[name] = "int"
    return fields


def value_for(kind: str, edge: dict, name: str) -> str:
    if kind == "date" and "T" in edge["date"] and not name.endswith("_at"):
        return edge["date"].split("T")[0]
    return edge[kind]


@pytest.fixture
def owner_admin(city, foreign):  # noqa: F811
    """An administrator and organizer of 西山区, where the walk's objects live."""
    return make_user(city.county_b, Role.ADMIN, Role.ORGANIZER, username="west_organizer")


def test_edge_values_over_every_page_never_answer_500(client, foreign, owner_admin):  # noqa: F811
    client.force_login(owner_admin)
    client.raise_request_exception = False  # collect every 500, as the server would answer
    failures, pages, posted = [], 0, 0
    for pattern in walk():
        if pattern.startswith(("api/", "i18n/", "s/")) or any(s in pattern for s in SKIP):
            continue
        url = fill(pattern, foreign) if "<" in pattern else "/" + pattern
        if url is None or "<" in url:
            continue
        base = client.get(url)
        if base.status_code >= 500:
            failures.append(("GET", url, base.status_code))
            continue
        fields = (
            form_fields(base.content.decode(errors="replace"))
            if base.status_code == 200 and "html" in base.get("Content-Type", "")
            else {}
        )
        pages += 1
        for edge in EDGES:
            query = {k: edge[kind] for k, kind in QUERY_KEYS.items()}
            query.update({k: value_for(kind, edge, k) for k, kind in fields.items()})
            response = client.get(url + "?" + urlencode(query))
            if response.status_code >= 500:
                failures.append(("GET", url, query, response.status_code))
            if fields:
                posted += 1
                data = {k: value_for(kind, edge, k) for k, kind in fields.items()}
                response = client.post(url, data)
                if response.status_code >= 500:
                    failures.append(("POST", url, data, response.status_code))
    assert pages > 100 and posted > 20
    assert not failures, "\n".join(map(str, failures))


def test_calendar_far_dates_show_a_calendar(client, city):
    cadre = CadreFactory(unit=city.town_a1)
    trainee = make_user(city.town_a1, Role.TRAINEE, username="cal_trainee", cadre=cadre)
    client.force_login(trainee)
    for value in ("9999-12-31", "0001-01-01", "10000-01-01"):
        for view in ("month", "week"):
            response = client.get("/programs/my/calendar/", {"date": value, "view": view})
            assert response.status_code == 200, (value, view, response.status_code)


def test_venue_edit_page_opens_and_saves(client, city):
    from ganxun.programs.services import VenueData, venue_save

    admin = make_user(city.county_a, Role.ADMIN, Role.ORGANIZER, username="venue_admin")
    venue = venue_save(actor=admin, data=VenueData(name="县委党校一号教室", capacity=80))
    client.force_login(admin)
    page = client.get(f"/programs/venues/{venue.pk}/edit/")
    assert page.status_code == 200 and "县委党校一号教室" in page.content.decode()


def test_audit_filter_with_far_dates_answers_the_page(client, city):
    admin = make_user(city.city, Role.ADMIN, username="audit_admin")
    client.force_login(admin)
    for start, end in (("0001-01-01", "9999-12-31"), ("9999-12-31", "0001-01-01")):
        response = client.get("/audit/", {"date_from": start, "date_to": end})
        assert response.status_code == 200
        assert "1900-01-01 至 2100-12-31" in response.content.decode()


def test_budget_amount_1e309_is_a_message_beside_the_field(client, city):
    from ganxun.budgets.errors import BudgetError
    from ganxun.budgets.services.common import money

    for raw in ("1e309", "-1e309", "9" * 400):
        with pytest.raises(BudgetError) as refused:
            money(raw, field="amount", label="金额")
        assert refused.value.field == "amount"


def test_multi_select_with_an_id_beyond_2_63_is_refused_not_a_crash(client, city):
    from django import forms
    from django.contrib.contenttypes.models import ContentType

    from ganxun.core.forms import StyledForm

    class Pick(StyledForm):
        kinds = forms.ModelMultipleChoiceField(ContentType.objects.all())

    form = Pick({"kinds": [HUGE_INT, "-" + HUGE_INT]})
    assert not form.is_valid() and "kinds" in form.errors


# --- the API: every integer bounded, huge ids and malformed bodies answer 4xx -------------


def _request_integers(schema: dict):
    """(where, schema) of every integer a client sends: path/query parameters, body fields."""
    components = schema["components"]["schemas"]

    def walk_schema(node, where, seen):
        if not isinstance(node, dict):
            return
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                yield from walk_schema(components[name], f"{where}→{name}", seen | {name})
            return
        if node.get("type") == "integer":
            yield where, node
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in node.get(key, []):
                yield from walk_schema(sub, where, seen)
        for name, sub in node.get("properties", {}).items():
            yield from walk_schema(sub, f"{where}.{name}", seen)
        if "items" in node:
            yield from walk_schema(node["items"], f"{where}[]", seen)

    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            for p in op.get("parameters", []):
                yield from walk_schema(p["schema"], f"{method} {path} {p['name']}", set())
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                yield from walk_schema(body["schema"], f"{method} {path} body", set())


def test_every_integer_the_api_takes_is_bounded(client):
    found = list(_request_integers(client.get("/api/openapi.json").json()))
    assert len(found) > 20
    unbounded = [where for where, node in found if "maximum" not in node or "minimum" not in node]
    assert not unbounded


@pytest.fixture
def admin_token(city):
    from ganxun.accounts.services import api_token_create

    admin = make_user(city.city, Role.ADMIN, Role.ORGANIZER, username="api_admin")
    _token, raw = api_token_create(actor=admin, name="对接")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_ids_beyond_2_63_in_every_api_path_answer_422(client, admin_token):
    client.raise_request_exception = False
    schema = client.get("/api/openapi.json").json()
    tried = 0
    for path, methods in schema["paths"].items():
        if "{" not in path or "_id}" not in path:
            continue
        url = re.sub(r"\{\w+_id\}", HUGE_INT, path)
        url = re.sub(r"\{\w+\}", "x", url)
        for method in methods:
            response = getattr(client, method)(url, content_type="application/json", **admin_token)
            assert response.status_code == 422, (method, url, response.status_code)
            tried += 1
    assert tried >= 10


@pytest.mark.parametrize(
    "body",
    [
        "",
        "null",
        "[]",
        '"x"',
        "{",
        '{"session": "a"}',
        '{"session": 1e400}',
        f'{{"session": {HUGE_INT}}}',
        f'{{"session": 1, "cadre": {HUGE_INT}}}',
        f'{{"session": 1, "venue": -{HUGE_INT}}}',
        '{"session": 1, "id_number": "\\u0000"}',
        '{"session": 1, "id_number": 5}',
        '{"session": 1, "id_number": "１１０１０５１９４９１２３１００２Ｘ"}',
    ],
)
def test_checkin_with_a_malformed_body_answers_4xx(client, admin_token, body):
    client.raise_request_exception = False
    response = client.post("/api/checkin", body, content_type="application/json", **admin_token)
    assert 400 <= response.status_code < 500, response.content
