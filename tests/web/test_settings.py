"""Personal API tokens from the settings page: shown once, usable, revocable."""

import re


def test_new_token_is_shown_once_and_works_for_the_api(signed_in, make, client):
    vera = make.user("vera@example.com", "Vera Price", token=False)
    browser = signed_in(vera)
    response = browser.post("/settings/tokens", data={"name": "Reporting script"})
    assert response.status_code == 201
    token = re.search(r'value="(fs_[^"]+)"', response.get_data(as_text=True)).group(1)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json["email"] == "vera@example.com"
    again = browser.get("/settings").get_data(as_text=True)
    assert "Reporting script" in again and token not in again


def test_token_needs_a_name(signed_in, make):
    response = signed_in(make.user("vera@example.com")).post("/settings/tokens", data={"name": " "})
    assert response.status_code == 422
    assert "Give the token a name" in response.get_data(as_text=True)


def test_revoked_token_no_longer_signs_in(signed_in, make, client):
    vera = make.user("vera@example.com", token=False)
    browser = signed_in(vera)
    html = browser.post("/settings/tokens", data={"name": "old"}).get_data(as_text=True)
    token = re.search(r'value="(fs_[^"]+)"', html).group(1)
    revoke_url = re.search(r'action="(/settings/tokens/\d+/revoke)"', html).group(1)
    assert browser.post(revoke_url).status_code == 302
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401


def test_nobody_revokes_someone_elses_token(signed_in, make):
    vera = make.user("vera@example.com", token=False)
    html = signed_in(vera).post("/settings/tokens", data={"name": "mine"}).get_data(as_text=True)
    revoke_url = re.search(r'action="(/settings/tokens/\d+/revoke)"', html).group(1)
    assert signed_in(make.user("tom@example.com")).post(revoke_url).status_code == 404


def test_turning_off_like_notifications_is_remembered(signed_in, make, api_as):
    vera = make.user("vera@example.com")
    browser = signed_in(vera)
    kept = {"mention": "1", "comment": "1", "follow": "1", "best_answer": "1", "join_request": "1"}
    assert browser.post("/settings/notifications", data=kept).status_code == 302
    settings = api_as(vera).get("/notifications/settings").json
    assert settings["like"] is False and settings["mention"] is True
    html = browser.get("/settings").get_data(as_text=True)
    assert 'name="like" value="1">' in html and 'name="mention" value="1" checked>' in html
