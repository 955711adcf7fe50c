"""The S4 peer: the home feed computed at read time by django-activity-stream (Django)."""
