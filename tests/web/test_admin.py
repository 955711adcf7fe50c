"""Administration pages: only for administrators; tracked fields, integrations, webhooks."""

import re

import pytest


@pytest.fixture
def admin_browser(signed_in, make):
    return signed_in(make.user("admin@example.com", "Ada Admin", admin=True))


def test_administration_is_refused_to_everyone_else(signed_in, make):
    browser = signed_in(make.user("rep@example.com"))
    for path in (
        "/admin/users",
        "/admin/record-types",
        "/admin/integrations",
        "/admin/subscriptions",
    ):
        assert browser.get(path).status_code == 403, path


def test_admin_lists_people_with_their_managers(admin_browser, make):
    vera = make.user("vera@example.com", "Vera Price")
    make.user("maria@example.com", "Maria Lopez", manager=vera)
    html = admin_browser.get("/admin/users").get_data(as_text=True)
    assert "Maria Lopez" in html and "Vera Price" in html


def test_admin_chooses_the_tracked_fields_of_a_record_type(admin_browser, make, api_as):
    rep = make.user("rep@example.com")
    response = admin_browser.post(
        "/admin/record-types/opportunity", data={"tracked_fields": "stage, amount, stage"}
    )
    assert response.status_code == 302
    types = api_as(rep).get("/record-types").json
    assert next(t for t in types if t["key"] == "opportunity")["tracked_fields"] == [
        "stage",
        "amount",
    ]


def test_new_integration_shows_its_token_and_secret_once(admin_browser):
    response = admin_browser.post("/admin/integrations", data={"name": "ERP", "vendor": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 201
    token = re.search(r'id="reveal-token" type="text" readonly value="([^"]+)"', html).group(1)
    assert re.search(r'id="reveal-secret" type="text" readonly value="whsec_', html)
    assert token not in admin_browser.get("/admin/integrations").get_data(as_text=True)


def test_duplicate_integration_name_is_explained(admin_browser):
    admin_browser.post("/admin/integrations", data={"name": "ERP"})
    response = admin_browser.post("/admin/integrations", data={"name": "ERP"})
    assert response.status_code == 422
    assert "exists" in response.get_data(as_text=True)


def test_disabling_an_integration_refuses_its_token(admin_browser, client):
    html = admin_browser.post("/admin/integrations", data={"name": "ERP"}).get_data(as_text=True)
    token = re.search(r'id="reveal-token" type="text" readonly value="([^"]+)"', html).group(1)
    toggle = re.search(r'action="(/admin/integrations/\d+/enabled)"', html).group(1)
    assert admin_browser.post(toggle, data={"enabled": "0"}).status_code == 302
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401
    assert "Disabled" in admin_browser.get("/admin/integrations").get_data(as_text=True)


def test_rotating_a_secret_reveals_the_new_one(admin_browser):
    html = admin_browser.post("/admin/integrations", data={"name": "ERP"}).get_data(as_text=True)
    first = re.search(r'id="reveal-secret" type="text" readonly value="([^"]+)"', html).group(1)
    rotate = re.search(r'action="(/admin/integrations/\d+/rotate-secret)"', html).group(1)
    rotated = admin_browser.post(rotate).get_data(as_text=True)
    second = re.search(r'id="reveal-secret" type="text" readonly value="([^"]+)"', rotated).group(1)
    assert second != first
    assert "keeps working" in rotated


def test_empty_subscription_list_says_how_to_add_one(admin_browser):
    html = admin_browser.get("/admin/subscriptions").get_data(as_text=True)
    assert "POST /api/v1/subscriptions" in html
