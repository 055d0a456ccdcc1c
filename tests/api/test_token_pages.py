"""The API token pages: a leader makes a token and sees its key once, the list shows its
beginning and last use, a revoked token stops working; officers cannot; a system
administrator manages any organisation's tokens."""

from briefing.models.api_tokens import ApiToken
from briefing.models.organisations import Organisation, RoleCode, SecurityEvent
from tests.api.conftest import auth
from tests.conftest import count_queries, make_user

RECS = "/api/v1/recommendations/"


def page_of(organisation) -> str:
    return f"/organisations/{organisation.pk}/api-tokens/"


def test_a_leader_makes_sees_the_key_once_and_revokes(client, leader):
    client.force_login(leader)
    assert client.get("/accounts/api-token/")["Location"] == page_of(leader.organisation)
    assert "data-no-token" in client.get(page_of(leader.organisation)).content.decode()
    made = client.post(
        page_of(leader.organisation),
        {"name": "Hệ thống iOffice", "scopes": ["read", "recommendations"]},
    ).content.decode()
    token = ApiToken.objects.get()
    key = made.split("data-new-token>")[1].split("<")[0]
    assert (
        key.startswith(token.prefix)
        and token.key_digest != key
        and key not in str(ApiToken.objects.values_list().get())
    )
    assert token.created_by == leader and token.scopes == ["read", "recommendations"]
    client.get(RECS, **auth(key))  # used once: the list shows when
    listed = client.get(page_of(leader.organisation)).content.decode()
    assert key not in listed and f"{token.prefix}…" in listed
    token.refresh_from_db()
    assert token.last_used_at is not None

    revoke = f"{page_of(leader.organisation)}{token.pk}/revoke/"
    assert client.post(revoke).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == leader
    assert 'data-state="revoked"' in client.get(page_of(leader.organisation)).content.decode()
    assert client.get(RECS, **auth(key)).status_code == 401
    kinds = list(SecurityEvent.objects.values_list("kind", flat=True))
    assert "token_created" in kinds and "token_revoked" in kinds
    assert not SecurityEvent.objects.filter(detail__contains=key).exists()


def test_the_form_keeps_input_and_shows_errors(client, leader):
    client.force_login(leader)
    client.cookies["giaoban_language"] = "en"
    response = client.post(
        page_of(leader.organisation), {"name": "Hệ thống", "expires_on": "01/01/2000"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Hệ thống"' in page and "This field is required." in page
    assert "The expiry date must be after today." in page
    assert not ApiToken.objects.exists()


def test_an_officer_cannot_and_another_organisation_is_not_found(client, leader):
    officer = make_user(RoleCode.PROVINCE_OFFICER)
    client.force_login(officer)
    assert client.get(page_of(officer.organisation)).status_code == 403
    assert client.get("/accounts/api-token/").status_code == 403
    other = Organisation.objects.get(code="T63-30")
    client.force_login(leader)
    assert client.get(page_of(other)).status_code == 404
    assert client.post(page_of(other), {"name": "x", "scopes": ["read"]}).status_code == 404
    assert not ApiToken.objects.exists()


def test_a_system_administrator_manages_any_organisations_tokens(client, leader):
    admin = make_user(RoleCode.SYSTEM_ADMIN)
    client.force_login(admin)
    other = Organisation.objects.get(code="T63-30")
    assert (
        f'href="{page_of(other)}"'
        in client.get("/organisations/", {"q": "Hải Dương"}).content.decode()
    )
    # Not a member: its tokens read only (a token sends as the one who made it).
    page = client.get(page_of(other)).content.decode()
    assert 'value="recommendations"' not in page
    client.post(page_of(other), {"name": "Cổng dữ liệu", "scopes": ["read"]})
    token = ApiToken.objects.get(organisation=other)
    refused = client.post(page_of(other), {"name": "Gửi", "scopes": ["recommendations"]})
    assert refused.status_code == 400 and ApiToken.objects.count() == 1
    # And revokes a token a department's leader made.
    client.force_login(leader)
    client.post(page_of(leader.organisation), {"name": "iOffice", "scopes": ["read"]})
    theirs = ApiToken.objects.get(organisation=leader.organisation)
    client.force_login(admin)
    assert client.post(f"{page_of(leader.organisation)}{theirs.pk}/revoke/").status_code == 302
    theirs.refresh_from_db()
    assert theirs.revoked_by == admin and token.revoked_at is None


def test_the_list_costs_the_same_queries_for_more_tokens(client, leader):
    client.force_login(leader)
    client.post(page_of(leader.organisation), {"name": "Một", "scopes": ["read"]})
    one = count_queries(client, page_of(leader.organisation))
    for name in ("Hai", "Ba", "Bốn"):
        client.post(page_of(leader.organisation), {"name": name, "scopes": ["read"]})
    ApiToken.objects.filter(name="Hai").update(revoked_by=leader)
    assert count_queries(client, page_of(leader.organisation)) == one
