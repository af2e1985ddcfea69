"""The network listener as the API sees it: on or off, and the URLs it answers at.

Whoever runs the server owns the listener (the desktop app and `--headless`: `desktop.network`)
and hands it to `create_app`; a process that has none (a container's uvicorn) answers that it
is off, and cannot be switched on.
"""

import urllib.parse
from typing import Protocol

from pydantic import BaseModel

from backend.guards import host_name


class NetworkState(BaseModel):
    enabled: bool
    urls: list[str]


class NetworkControl(Protocol):
    def state(self) -> NetworkState: ...

    def set_enabled(self, enabled: bool) -> NetworkState:
        """Opens or closes the listener; answers the state it is in afterwards."""
        ...


class NoNetwork:
    """This process has no network listener."""

    def state(self) -> NetworkState:
        return NetworkState(enabled=False, urls=[])

    def set_enabled(self, enabled: bool) -> NetworkState:
        return self.state()


def url_hosts(urls: list[str]) -> frozenset[str]:
    """The Host names the listener's URLs carry, as the Host guard compares them."""
    hosts = (host_name(urllib.parse.urlsplit(url).netloc) for url in urls)
    return frozenset(host for host in hosts if host)
