"""Settings from the environment (and an optional .env file)."""

from functools import cached_property
from pathlib import Path
from typing import Annotated

from platformdirs import user_data_path
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from backend import resources

# The source checkout (tests and tools); the app finds its files through `resources`.
REPO_ROOT = resources.SOURCE_TREE
APP_DIR_NAME = "MiniaturesTracker"


def normalise_database_url(url: str) -> str:
    """SQLAlchemy wants the driver in the scheme; users write plain postgresql:// URLs."""
    for prefix in ("postgresql+psycopg2://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_ignore_empty=True, extra="ignore", populate_by_name=True
    )

    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    data_dir: Path = Field(
        default_factory=lambda: user_data_path(APP_DIR_NAME, appauthor=False),
        validation_alias=AliasChoices("MINIATURES_DATA_DIR", "data_dir"),
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        validation_alias=AliasChoices("MINIATURES_ALLOWED_HOSTS", "allowed_hosts"),
    )
    # Server mode: every request needs a session, opened with this key (backend.access checks
    # its length at start-up, never printing it; a SecretStr never shows in a repr or a log).
    access_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("MINIATURES_ACCESS_KEY", "access_key")
    )
    # The desktop's `--connect URL` when none is given: open the window onto that server.
    server_url: str | None = Field(
        default=None, validation_alias=AliasChoices("MINIATURES_SERVER_URL", "server_url")
    )
    ui_dist: Path = Field(
        default_factory=resources.ui_dist,
        validation_alias=AliasChoices("MINIATURES_UI_DIST", "ui_dist"),
    )

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [host.strip().lower() for host in value.split(",") if host.strip()]
        return value

    @cached_property
    def sqlalchemy_url(self) -> str:
        if not self.database_url:
            raise RuntimeError("DATABASE_URL is not set")
        return normalise_database_url(self.database_url)

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"
