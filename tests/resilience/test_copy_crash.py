"""A process killed while it writes a copy leaves a half-written file that is never listed,
and the next start of the app removes it."""

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import httpx

from backend.migrate import upgrade_database
from backend.settings import REPO_ROOT
from tests.resilience.processes import AppServer

# The real store and export; the export stops after its first types, as if the disk were slow,
# so the kill lands while the file is open and half-written.
WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from backend.db import make_engine, make_session_factory
    from backend.services import copies

    export = copies.export_chunks

    def stalled(**arguments):
        chunks = export(**arguments)
        yield next(chunks)
        yield next(chunks)
        print("writing", flush=True)
        time.sleep(600)
        yield from chunks

    copies.export_chunks = stalled
    store = copies.CopyStore(Path(sys.argv[2]))
    factory = make_session_factory(make_engine(sys.argv[1]))
    with factory() as session, session.begin():
        store.write(session=session, kind=copies.CopyKind.MANUAL)
    """
)


def test_a_copy_cut_short_by_a_crash_is_never_listed_and_is_cleaned_up(
    database_factory: Callable[[], str],
    app_server: Callable[[str], AppServer],
    tmp_path: Path,
) -> None:
    url = database_factory()
    upgrade_database(url)
    server = app_server(url)
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for name in ("Orks", "Tau", "Necrons"):
            body = {"name": name, "counts": {"IN_BOX": 5}}
            assert client.post("/api/v1/types", json=body).status_code == 201
        kept = client.post("/api/v1/backups").json()["name"]

    backups = server.data_dir / "backups"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, url, str(backups)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline() == b"writing\n"
        writer.kill()
    finally:
        writer.wait(timeout=30)
    partials = list(backups.glob(".manual-*.json.partial"))
    assert len(partials) == 1

    with httpx.Client(base_url=server.url, timeout=30) as client:
        assert [entry["name"] for entry in client.get("/api/v1/backups").json()["backups"]] == [
            kept
        ]
        partial = partials[0].name
        refused = client.post(f"/api/v1/backups/{partial}/restore")
        assert refused.status_code == 404
        assert refused.json()["code"] == "ERR_BACKUP_NOT_FOUND"

    server.stop()
    server.start()
    assert not partials[0].exists()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        listed = client.get("/api/v1/backups").json()["backups"]
    assert [entry["name"] for entry in listed] == [kept]
    assert sorted(path.name for path in backups.iterdir()) == [kept]
