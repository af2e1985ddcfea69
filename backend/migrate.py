"""The database's schema brought to a revision with Alembic (migrations/), found through
`backend.resources` so that a wheel and the bundle find them too."""

from typing import TYPE_CHECKING

from backend import resources
from backend.settings import normalise_database_url

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(url: str) -> "Config":
    from alembic.config import Config

    config = Config(str(resources.alembic_ini()))
    config.set_main_option("script_location", str(resources.migrations_dir()))
    # ConfigParser treats % as interpolation: escape it in passwords.
    config.set_main_option("sqlalchemy.url", normalise_database_url(url).replace("%", "%%"))
    return config


def upgrade_database(url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade_database(url: str, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(url), revision)
