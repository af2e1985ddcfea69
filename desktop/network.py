"""The network listener: the app on a second port, on every address of this machine, while
"Let my phone in" is on (`PUT /network`). Every request through it needs a session: its server
serves the app through `backend.access.mark_network`.

Whether it is on and its port are kept in the data folder (network.json, written whole by
`backend.files`), so a phone's bookmark or home-screen app finds it again after a restart. The
first port tried is 8765; when the kept one is taken by then, another free one is used (and kept).
"""

import ipaddress
import json
import logging
import socket
import threading
from collections.abc import Callable
from pathlib import Path

import psutil
from starlette.types import ASGIApp

from backend.access import mark_network
from backend.files import write_atomically
from backend.network import NetworkState
from desktop.server import AppServer, ServerFailed, bind_everywhere

log = logging.getLogger(__name__)

SETTINGS_FILE = "network.json"
FIRST_PORT = 8765
# Interfaces of containers and virtual machines: no phone is there.
VIRTUAL_INTERFACES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "cni", "flannel")


def machine_addresses() -> list[str]:
    """This machine's IPv4 addresses that a phone on its network can reach, home networks first."""
    found: list[ipaddress.IPv4Address] = []
    for interface, addresses in psutil.net_if_addrs().items():
        if interface.startswith(VIRTUAL_INTERFACES):
            continue
        for address in addresses:
            if address.family != socket.AF_INET:
                continue
            ip = ipaddress.IPv4Address(address.address)
            if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast):
                found.append(ip)
    return [str(ip) for ip in sorted(set(found), key=lambda ip: (not ip.is_private, ip))]


class NetworkListener:
    """`serve(app)` once the app exists; then the API switches it (`backend.network`)."""

    def __init__(
        self,
        data_dir: Path,
        addresses: Callable[[], list[str]] = machine_addresses,
        first_port: int = FIRST_PORT,
    ) -> None:
        """`first_port`: the port tried when none is kept yet (0: any free one)."""
        self._file = data_dir / SETTINGS_FILE
        self._addresses = addresses
        self._lock = threading.Lock()
        self._app: ASGIApp | None = None
        self._server: AppServer | None = None
        self._stopping: threading.Thread | None = None
        saved = self._read()
        self._wanted = saved.get("enabled") is True
        port = saved.get("port")
        self.port: int = port if isinstance(port, int) and 0 < port <= 65535 else first_port

    def serve(self, app: ASGIApp) -> None:
        """Serves `app`, and opens the listener now if it was on when the app last ran."""
        self._app = mark_network(app)
        if self._wanted:
            with self._lock:
                try:
                    self._open()
                except ServerFailed:
                    log.exception("the network listener could not open again")

    def state(self) -> NetworkState:
        if self._server is None:
            return NetworkState(enabled=False, urls=[])
        urls = [f"http://{address}:{self.port}/" for address in self._addresses()]
        return NetworkState(enabled=True, urls=urls)

    def set_enabled(self, enabled: bool) -> NetworkState:
        with self._lock:
            if enabled and self._server is None:
                try:
                    self._open()
                except ServerFailed:  # answered as it is: off
                    log.exception("the network listener could not open")
                    return self.state()
            elif not enabled and self._server is not None:
                self._close(wait=False)  # this very request may have come through it
            self._wanted = enabled
            self._save()
        return self.state()

    def close(self) -> None:
        """When the app stops: the listener goes, its setting stays."""
        with self._lock:
            self._close(wait=True)

    def _open(self) -> None:
        if self._app is None:
            raise RuntimeError("serve(app) first")
        if self._stopping is not None:
            self._stopping.join()  # the port is free again once the last one has stopped
            self._stopping = None
        try:
            listening = bind_everywhere(self.port)
        except ServerFailed:
            log.info("port %d is taken: the network listener takes another", self.port)
            listening = bind_everywhere(0)
        self.port = listening.getsockname()[1]
        server = AppServer(self._app, "0.0.0.0", listening=listening, lifespan=False)
        server.start()
        self._server = server
        self._save()
        log.info("network listener open on port %d", self.port)

    def _close(self, *, wait: bool) -> None:
        server, self._server = self._server, None
        if server is not None and wait:
            server.stop()
        elif server is not None:
            self._stopping = threading.Thread(target=server.stop, name="network-stop")
            self._stopping.start()
        if wait and self._stopping is not None:
            self._stopping.join()
            self._stopping = None
        if server is not None:
            log.info("network listener closed")

    def _read(self) -> dict[str, object]:
        try:
            saved = json.loads(self._file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return saved if isinstance(saved, dict) else {}

    def _save(self) -> None:
        settings = {"enabled": self._wanted, "port": self.port}
        try:
            write_atomically(self._file, json.dumps(settings).encode())
        except OSError:
            log.exception("the network listener's setting could not be saved")
