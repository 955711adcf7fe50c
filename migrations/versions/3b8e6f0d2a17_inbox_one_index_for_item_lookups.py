"""inbox: one unique index (item_id, user_id) instead of (user_id, item_id) plus one on item_id

Revision ID: 3b8e6f0d2a17
Revises: 7d2e5b1c9a04
Create Date: 2026-12-07 17:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '3b8e6f0d2a17'
down_revision = '7d2e5b1c9a04'
branch_labels = None
depends_on = None

# Every fan-out writes one entry per recipient in each index of the inbox: the unique index led
# by item_id serves both the uniqueness and the lookups by item, so the third index goes.


def upgrade():
    with op.batch_alter_table('inbox') as batch_op:
        batch_op.drop_index('ix_inbox_item_id')
        batch_op.drop_constraint('uq_inbox_user_id_item_id', type_='unique')
        batch_op.create_unique_constraint('uq_inbox_item_id_user_id', ['item_id', 'user_id'])


def downgrade():
    with op.batch_alter_table('inbox') as batch_op:
        batch_op.drop_constraint('uq_inbox_item_id_user_id', type_='unique')
        batch_op.create_unique_constraint('uq_inbox_user_id_item_id', ['user_id', 'item_id'])
        batch_op.create_index('ix_inbox_item_id', ['item_id'], unique=False)
