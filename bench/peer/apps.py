"""The peer's Django app: registers users and deals with django-activity-stream."""

from django.apps import AppConfig


class PeerConfig(AppConfig):
    name = "bench.peer"
    label = "peer"

    def ready(self):
        from actstream import registry
        from django.contrib.auth import get_user_model

        registry.register(get_user_model())
        registry.register(self.get_model("Deal"))
