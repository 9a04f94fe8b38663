"""Accounts and roles: administrators manage accounts inside their subtree; changes are audited."""

import pytest

from ganxun.accounts import services
from ganxun.accounts.errors import AccountError
from ganxun.accounts.models import Role, User
from ganxun.core.errors import PermissionDenied
from ganxun.core.models import AuditEntry, Job
from tests.factories import CadreFactory, make_user


def test_admin_creates_an_account_with_several_roles(client, admin, city):
    client.force_login(admin)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "li_jw",
            "display_name": "李教务",
            "org": city.county_a.pk,
            "roles": [Role.ORGANIZER, Role.REVIEWER],
        },
    )
    assert response.status_code == 200 and "只显示这一次" in response.content.decode()
    user = User.objects.get(username="li_jw")
    assert user.roles == {Role.ORGANIZER, Role.REVIEWER} and user.must_change_password


def test_role_change_is_audited_with_old_and_new_roles(admin, city):
    user = make_user(city.county_a, Role.LECTURER)
    services.user_update(
        actor=admin,
        user=user,
        display_name="张老师",
        org=city.county_a,
        roles=[Role.LECTURER, Role.REVIEWER],
        is_active=True,
    )
    entry = AuditEntry.objects.get(object_type="accounts.user", action="update")
    assert entry.changes["roles"] == [["lecturer"], ["lecturer", "reviewer"]]


def test_only_administrators_change_roles(city, town_contact):
    user = make_user(city.town_a1, Role.TRAINEE)
    with pytest.raises(PermissionDenied):
        services.user_update(
            actor=town_contact,
            user=user,
            display_name="x",
            org=city.town_a1,
            roles=[Role.ADMIN],
            is_active=True,
        )


def test_admin_cannot_remove_own_admin_role(admin, city):
    with pytest.raises(AccountError) as exc:
        services.user_update(
            actor=admin,
            user=admin,
            display_name="a",
            org=city.city,
            roles=[Role.ORGANIZER],
            is_active=True,
        )
    assert exc.value.code == "cannot_demote_self"


def test_account_scope_outside_the_admins_subtree_is_refused(city):
    county_admin = make_user(city.county_a, Role.ADMIN)
    with pytest.raises(AccountError) as exc:
        services.user_create(
            actor=county_admin,
            username="x1",
            display_name="x",
            org=city.county_b,
            roles=[Role.TRAINEE],
            password="Strong#Pass9",
        )
    assert exc.value.code == "org_out_of_scope"


def test_trainee_accounts_in_bulk_from_the_roster(
    client, city, town_contact, django_capture_on_commit_callbacks
):
    # given two active cadres in the township and one who already has an account
    a = CadreFactory(unit=city.town_a1)
    CadreFactory(unit=city.village_a1)
    taken = CadreFactory(unit=city.town_a1)
    make_user(city.town_a1, Role.TRAINEE, cadre=taken)
    CadreFactory(unit=city.town_b1)  # outside the contact's township
    client.force_login(town_contact)
    # when the contact opens trainee accounts for the roster
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/trainee-accounts/")
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    # then the job created two accounts and offers the credentials workbook
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result == {"created": 2}
    user = User.objects.get(cadre=a)
    assert user.roles == {Role.TRAINEE} and user.must_change_password and user.org == city.town_a1
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    page = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "已开通 2 个学员账号" in page and 'data-status="succeeded"' in page


def test_api_token_is_shown_once_and_stored_hashed(client, admin):
    client.force_login(admin)
    page = client.post("/accounts/tokens/", {"name": "签到终端"}).content.decode()
    raw = page.split('data-testid="raw-key">')[1].split("<")[0]
    token = admin.api_tokens.get()
    assert raw.startswith("gx_") and raw not in token.key_hash
    assert client.get("/api/orgs", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    client.logout()
    assert client.get("/api/orgs", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
