"""A fan-out's thousands of ids reach the database as one bound value, on either database."""

import pytest
import sqlalchemy as sa

from feedserver.extensions import db
from feedserver.id_lists import among
from feedserver.models import User


def test_among_selects_exactly_the_listed_ids_whatever_their_number(make, app):
    people = [make.user(f"p{n}@example.com", f"Person {n}") for n in range(5)]
    ids = [person.id for person in people]
    with app.app_context():

        def chosen(wanted):
            query = sa.select(User.id).where(among(User.id, wanted)).order_by(User.id)
            return db.session.scalars(query).all()

        assert chosen([ids[3], ids[1], ids[3]]) == [ids[1], ids[3]]
        assert chosen([]) == []
        assert chosen(ids + [10**9]) == ids
        # One parameter for two ids or two thousand: the compiled SQL is the same.
        dialect = db.session.get_bind().dialect
        small = sa.select(User.id).where(among(User.id, ids[:2])).compile(dialect=dialect)
        large = sa.select(User.id).where(among(User.id, range(2000))).compile(dialect=dialect)
        assert str(small) == str(large) and len(large.params) == 1


def test_a_value_that_is_not_an_id_is_refused_before_any_sql(app):
    with app.app_context(), pytest.raises(sa.exc.StatementError, match="invalid literal"):
        db.session.scalars(sa.select(User.id).where(among(User.id, ["1); DROP TABLE users"])))
