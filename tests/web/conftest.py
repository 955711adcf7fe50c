"""Page-test helpers: a browser-like client signed in as a given person."""

import pytest


@pytest.fixture
def signed_in(app):
    """signed_in(user) → a test client holding that user's session cookie."""

    def sign_in(user, password="secret"):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in
