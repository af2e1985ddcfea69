"""The engine and its sessions."""

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from backend.settings import normalise_database_url


def make_engine(url: str, **kwargs: object) -> Engine:
    options: dict[str, object] = {
        # A connection broken by a database restart is replaced, not handed to a request.
        "pool_pre_ping": True,
        # Errors in the logs never carry the user's data (names, backup contents).
        "hide_parameters": True,
        "pool_size": 10,
        "max_overflow": 20,
        # Times as PostgreSQL writes them as text (the export's) are in UTC and ISO 8601,
        # whatever the server's own settings say.
        "connect_args": {"options": "-c timezone=UTC -c datestyle=ISO", "connect_timeout": 5},
    }
    options.update(kwargs)
    return create_engine(normalise_database_url(url), **options)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
