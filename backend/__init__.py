"""Miniatures Progress Tracker: the web application (FastAPI)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("miniatures-tracker")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
