"""Write the S4 rows into django-activity-stream's tables: the same people, follows and items."""

import os
import subprocess
import sys

import psycopg2

from bench.common import APP, ROOT


def load_peer(url: str) -> None:
    """Create the peer's tables (Django migrations) and copy the S4 rows into them."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.peer.settings",
        "PEER_DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"],
        cwd=APP,
        env=env,
        check=True,
    )
    conn = psycopg2.connect(url)
    cur = conn.cursor()
    # Bulk load: skip per-row foreign-key triggers (the rows are consistent by construction).
    cur.execute("SET session_replication_role = replica")
    cur.execute("SELECT id FROM django_content_type WHERE app_label = 'auth' AND model = 'user'")
    user_type = cur.fetchone()[0]
    cur.execute(
        "INSERT INTO django_content_type (app_label, model) VALUES ('peer', 'deal')"
        " ON CONFLICT DO NOTHING"
    )
    cur.execute("SELECT id FROM django_content_type WHERE app_label = 'peer' AND model = 'deal'")
    deal_type = cur.fetchone()[0]
    cur.execute("TRUNCATE actstream_action, actstream_follow, auth_user RESTART IDENTITY CASCADE")
    # Bulk load: plain indexes are built once after the rows are in, not row by row.
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename IN"
        " ('actstream_action', 'actstream_follow')"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint)"
    )
    deferred = cur.fetchall()
    for name, _ in deferred:
        cur.execute(f'DROP INDEX "{name}"')
    cur.execute(
        "INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name,"
        " email, is_staff, is_active, date_joined) SELECT id, '!', false, 'user' || id, '',"
        " left(name, 150), email, false, true, created_at FROM users"
    )
    cur.execute(
        "INSERT INTO actstream_follow (user_id, content_type_id, object_id, actor_only, flag,"
        " started) SELECT follower_id, %s, subject_id::text, false, '', created_at FROM follows"
        " WHERE subject_kind = 'record'",
        (deal_type,),
    )
    cur.execute(
        "INSERT INTO actstream_action (actor_content_type_id, actor_object_id, verb,"
        " target_content_type_id, target_object_id, timestamp, public)"
        " SELECT %s, actor_id::text, 'updated', %s, object_id::text, published, true"
        " FROM feed_items ORDER BY id",
        (user_type, deal_type),
    )
    for _, definition in deferred:
        cur.execute(definition)
    conn.commit()
    conn.close()
