"""inbox without foreign keys: a fan-out's rows are no longer checked one by one

Revision ID: 7d2e5b1c9a04
Revises: c329d30db79e
Create Date: 2026-12-07 02:45:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '7d2e5b1c9a04'
down_revision = 'c329d30db79e'
branch_labels = None
depends_on = None

# Batch mode: SQLite drops a constraint by copying the table; PostgreSQL alters it in place.


def upgrade():
    with op.batch_alter_table('inbox') as batch_op:
        batch_op.drop_constraint('fk_inbox_user_id_users', type_='foreignkey')
        batch_op.drop_constraint('fk_inbox_item_id_feed_items', type_='foreignkey')


def downgrade():
    with op.batch_alter_table('inbox') as batch_op:
        batch_op.create_foreign_key(
            'fk_inbox_user_id_users', 'users', ['user_id'], ['id'], ondelete='CASCADE'
        )
        batch_op.create_foreign_key(
            'fk_inbox_item_id_feed_items', 'feed_items', ['item_id'], ['id'], ondelete='CASCADE'
        )
