"""Django settings for the peer: the S4 database, contenttypes, auth and actstream."""

import os
from urllib.parse import urlparse

_url = urlparse(
    os.environ.get("PEER_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/bench_feed")
)

SECRET_KEY = "bench-peer-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = False
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "actstream",
    "bench.peer.apps.PeerConfig",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.peer.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _url.path.lstrip("/"),
        "USER": _url.username or "postgres",
        "PASSWORD": _url.password or "",
        "HOST": _url.hostname or "127.0.0.1",
        "PORT": str(_url.port or 5432),
        "CONN_MAX_AGE": None,
    }
}
ACTSTREAM_SETTINGS = {"FETCH_RELATIONS": True, "USE_JSONFIELD": False}
