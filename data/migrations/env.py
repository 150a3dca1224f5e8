"""Alembic environment: kring passes its own engine in, there is no alembic.ini."""

from alembic import context

from kring.data import models  # noqa: F401 - registers the tables
from sqlmodel import SQLModel

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
