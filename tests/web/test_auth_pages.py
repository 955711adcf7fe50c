"""Signing in and out through the login form."""


def test_login_form_signs_in_and_lands_on_home(client, make):
    make.user("vera@example.com", "Vera Price")
    response = client.post(
        "/login", data={"email": "vera@example.com", "password": "secret"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "What I follow" in response.get_data(as_text=True)


def test_wrong_password_shows_an_error_and_keeps_the_email(client, make):
    make.user("vera@example.com")
    response = client.post("/login", data={"email": "vera@example.com", "password": "nope"})
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Email or password is wrong." in html
    assert 'value="vera@example.com"' in html


def test_pages_need_a_session(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_next_parameter_only_returns_to_this_site(client, make):
    make.user("vera@example.com")
    response = client.post(
        "/login?next=//evil.example/x", data={"email": "vera@example.com", "password": "secret"}
    )
    assert response.headers["Location"] == "/"


def test_logout_ends_the_session(signed_in, make):
    client = signed_in(make.user("vera@example.com"))
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_a_nul_character_in_a_form_is_a_clear_400(client, make):
    make.user("ana@example.com", password="pw")

    response = client.post("/login", data={"email": "a\x00b@example.com", "password": "pw"})

    assert response.status_code == 400
    assert "NUL characters are not allowed" in response.get_data(as_text=True)
