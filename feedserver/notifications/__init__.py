"""In-app notifications: grouped, per-person settings, pushed live with the unread count."""
