from pathlib import Path

import pytest

from backend.names import clean_name, name_key
from backend.settings import Settings, normalise_database_url


def test_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/minis")
    monkeypatch.setenv("MINIATURES_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MINIATURES_ALLOWED_HOSTS", " nas.home, Tracker.LAN ,,")
    settings = Settings()
    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@db:5432/minis"
    assert settings.data_dir == tmp_path
    assert settings.allowed_hosts == ["nas.home", "tracker.lan"]
    assert settings.backups_dir == tmp_path / "backups"


def test_empty_variables_mean_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.setenv("MINIATURES_ALLOWED_HOSTS", "")
    settings = Settings()
    assert settings.database_url is None
    assert settings.allowed_hosts == []
    assert settings.data_dir.name == "MiniaturesTracker"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgres://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgresql+psycopg2://a@h/d", "postgresql+psycopg://a@h/d"),
        ("postgresql+psycopg://a@h/d", "postgresql+psycopg://a@h/d"),
    ],
)
def test_database_url_is_normalised(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected


def test_name_key_folds_case_width_of_yo_and_composition() -> None:
    assert name_key("  Space Marines ") == "space marines"
    assert name_key("ЁЛКИ") == name_key("елки") == "елки"
    assert name_key("Straße") == name_key("STRASSE")
    assert name_key("е\u0308ж") == name_key("ёж") == "еж"  # decomposed ё
    assert clean_name("  Orks\t") == "Orks"
