"""The single-page app: its hashed assets, and index.html for every other GET that names no
file (a client route such as /types/7), answered from the 404 handler."""

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles


def serve_ui(app: FastAPI, ui_dist: Path) -> None:
    assets = ui_dist / "assets"
    if assets.is_dir():
        # Vite names assets by their content hash, so they never change under a name.
        app.mount("/assets", StaticFiles(directory=assets), name="assets")


def ui_file(request: Request, ui_dist: Path) -> Response | None:
    """A file of the built UI, or its index.html for a client route; None when there is none
    (no UI built) or the request is not a page's (the API, or another method than GET)."""
    path = request.url.path
    if path.startswith("/api") or request.method not in ("GET", "HEAD"):
        return None
    index = ui_dist / "index.html"
    if not index.is_file():
        return None
    candidate = (ui_dist / path.lstrip("/")).resolve()
    if candidate.is_file() and candidate.is_relative_to(ui_dist.resolve()):
        return FileResponse(candidate)
    return FileResponse(index, headers={"Cache-Control": "no-cache"})
