"""Files the app ships beside its code: the built UI, the migrations and their Alembic config.

An installed wheel and the frozen bundle carry them inside this package, in `_resources/`
(copied there by the build: see setup.py). A source checkout, and the editable install made
from it, has no such folder and uses them where they live in the repository, so a rebuilt UI
is served at once. Everything finds them through the functions below, never by itself.
"""

from pathlib import Path

PACKAGED = Path(__file__).resolve().with_name("_resources")
SOURCE_TREE = Path(__file__).resolve().parent.parent


def _locate(packaged: str, in_source_tree: str) -> Path:
    return PACKAGED / packaged if PACKAGED.is_dir() else SOURCE_TREE / in_source_tree


def ui_dist() -> Path:
    """The built UI: index.html and assets/."""
    return _locate("ui", "ui/dist")


def migrations_dir() -> Path:
    """Alembic's script folder: env.py and versions/."""
    return _locate("migrations", "migrations")


def alembic_ini() -> Path:
    return _locate("alembic.ini", "alembic.ini")
