"""GET /feed/<user_id>?offset=N: a page of the user's stream, as django-activity-stream builds it."""

from actstream.models import user_stream
from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.urls import path

PAGE = 20


def feed(request, user_id: int):
    """The user's followed activity, newest first, computed at read time from their follows."""
    user = get_user_model().objects.get(pk=user_id)
    offset = int(request.GET.get("offset", 0))
    actions = user_stream(user)[offset : offset + PAGE]
    return JsonResponse(
        {
            "items": [
                {
                    "id": action.id,
                    "verb": action.verb,
                    "actor": str(action.actor),
                    "target": str(action.target),
                    "published": action.timestamp.isoformat(),
                }
                for action in actions
            ]
        }
    )


urlpatterns = [path("feed/<int:user_id>", feed)]
