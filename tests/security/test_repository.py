"""No secret in what the repository holds or would commit; the container never runs as root
and publishes the app on the host's loopback only."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from backend.settings import REPO_ROOT

# Placeholders a reader is meant to replace, references to values kept elsewhere (${VAR},
# {template}), and throwaway test credentials that say so in their value.
PLACEHOLDER = re.compile(
    r"^(|p|pw|pass|password|secret|x+|\*+)$|change[-_]?me|example|placeholder|your[-_]|<[^>]*>"
    r"|\$\{[^}]*\}|\{[^}]*\}|\$[A-Z_]+|test|fake|dummy|never",
    re.IGNORECASE,
)
SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE" + r" KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    "npm token": re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"),
}
# A password written into a URL (scheme://user:password@host) or assigned to a secret-like name.
URL_PASSWORD = re.compile(r"[a-z+]+://[^\s/:@'\"]+:([^\s@/'\"]+)@")
ASSIGNED = re.compile(
    r"""(?i)\b[\w-]*(password|passwd|secret|api[_-]?key|token)["']?\s*[:=]\s*["']([^"'\s]{6,})["']"""
)


def repository_files() -> list[Path]:
    """Tracked files and the untracked ones git would add: what a commit can carry."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [
        REPO_ROOT / name for name in listed.split("\0") if name and (REPO_ROOT / name).is_file()
    ]


def text_of(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data[:4096]:
        return None  # binary (an icon)
    return data.decode("utf-8", errors="replace")


def test_the_repository_holds_no_secret() -> None:
    files = repository_files()
    assert len(files) > 20, "git ls-files found too little to be this repository"
    found: list[str] = []
    for path in files:
        text = text_of(path)
        if text is None:
            continue
        name = path.relative_to(REPO_ROOT)
        for kind, pattern in SECRET_PATTERNS.items():
            found += [f"{name}: {kind}" for _ in pattern.finditer(text)]
        for match in URL_PASSWORD.finditer(text):
            if not PLACEHOLDER.search(match.group(1)):
                found.append(f"{name}: password in a URL: {match.group(0)}")
        for match in ASSIGNED.finditer(text):
            if not PLACEHOLDER.search(match.group(2)):
                found.append(f"{name}: {match.group(0)}")
    assert found == []


def test_the_scan_finds_what_it_looks_for() -> None:
    """The patterns above are not dead: each catches a planted example."""
    key = "-----BEGIN RSA PRIVATE" + " KEY-----"
    assert SECRET_PATTERNS["private key"].search(key)
    # Built from pieces, so this file does not plant them for the scan itself.
    planted = "s3cr" + "3tpw"
    assert URL_PASSWORD.search(f"postgresql://app:{planted}@db:5432/x")
    assert not PLACEHOLDER.search(planted)
    assert ASSIGNED.search("DB_PASSWORD = " + '"' + planted * 2 + '"')
    assert not ASSIGNED.search('"js-tokens": "^4.0.0"')
    assert PLACEHOLDER.search("${POSTGRES_PASSWORD}") and PLACEHOLDER.search("change-me")


def test_env_files_are_never_committed() -> None:
    names = {path.relative_to(REPO_ROOT).as_posix() for path in repository_files()}
    assert not {name for name in names if re.search(r"(^|/)\.env(\.[^/]*)?$", name)} - {
        ".env.example"
    }
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=REPO_ROOT, check=False)
    assert ignored.returncode == 0, ".env is not in .gitignore"


def test_env_example_holds_only_placeholders() -> None:
    example = REPO_ROOT / ".env.example"
    assert example.is_file()
    secrets = 0
    for line in example.read_text().splitlines():
        if "=" not in line or line.lstrip().startswith("#"):
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        if re.search(r"PASSWORD|SECRET|TOKEN|KEY", key, re.IGNORECASE):
            secrets += 1
            assert PLACEHOLDER.search(value.strip("'\"")), f"{key} has a real-looking value"
    assert secrets >= 1, "the example names no password to set"


def final_stage(dockerfile: str) -> list[tuple[str, str]]:
    """The instructions of the last build stage (the image that runs), continuations joined."""
    joined = re.sub(r"\\\n", " ", dockerfile)
    instructions = [
        (line.split(None, 1)[0].upper(), [*line.split(None, 1), ""][1].strip())
        for line in (raw.strip() for raw in joined.splitlines())
        if line and not line.startswith("#")
    ]
    starts = [n for n, (word, _) in enumerate(instructions) if word == "FROM"]
    assert starts, "no FROM in the Dockerfile"
    return instructions[starts[-1] :]


def test_the_container_runs_as_a_non_root_user() -> None:
    dockerfile = REPO_ROOT / "Dockerfile"
    assert dockerfile.is_file(), "the Dockerfile is missing"
    users = [value for word, value in final_stage(dockerfile.read_text()) if word == "USER"]
    assert users, "the runtime stage never switches away from root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}, users[-1]
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    assert str(compose["services"]["app"].get("user", user)).split(":")[0] not in {"root", "0"}


@pytest.mark.parametrize("service", ["app", "db"])
def test_compose_publishes_only_on_loopback(service: str) -> None:
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
    for port in compose["services"][service].get("ports", []):
        published = port if isinstance(port, str) else f"{port.get('host_ip', '')}:{port}"
        assert str(published).startswith("127.0.0.1:"), published
