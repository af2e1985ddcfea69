"""Other devices: open and end sessions, pair a phone, list and remove devices, and switch the
network listener (the rules: `backend.access`)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from backend import errors
from backend.access import (
    SESSION_COOKIE,
    Access,
    digest,
    from_network,
    key_matches,
    key_proof,
    new_token,
    session_token,
)
from backend.api.deps import SessionDep, TransactionRoute
from backend.api.responses import error_responses, json_response
from backend.device_label import device_label
from backend.network import NetworkState
from backend.schemas import DeviceList, NetworkChange, Pairing, SessionOpen
from backend.services import device_sessions

router = APIRouter(tags=["devices"], route_class=TransactionRoute)
MAX_DEVICE_ID = 2**31 - 1


def get_access(request: Request) -> Access:
    access: Access = request.app.state.access
    return access


def local_only(request: Request, access: Annotated[Access, Depends(get_access)]) -> Access:
    """At this computer only (its loopback listener), unless an access key is in force: then a
    session is enough (the session rule checked it)."""
    if access.key is None and from_network(request.scope):
        raise errors.LocalOnly()
    return access


AccessDep = Annotated[Access, Depends(get_access)]
LocalAccess = Annotated[Access, Depends(local_only)]
LOCAL = error_responses(401, 403)


@router.post(
    "/session", status_code=204, response_class=Response, responses=error_responses(401, 429)
)
def open_session(
    body: SessionOpen, request: Request, session: SessionDep, access: AccessDep
) -> Response:
    if (body.key is None) == (body.pair is None):
        raise errors.ValidationFailed(fields=["pair", "key"])
    address = request.client.host if request.client else ""
    wait = access.attempts.retry_after(address)
    if wait is not None:
        raise errors.TooManyAttempts(retry_after=wait)
    if body.key is not None:
        opened = access.key is not None and key_matches(body.key, access.key)
    else:
        opened = access.pairing.redeem(body.pair or "")
    if not opened:
        access.attempts.failed(address)
        raise errors.BadKey()
    token = new_token()
    device_sessions.open_session(
        session=session,
        token_hash=digest(token),
        key_proof=key_proof(access.key, token),
        label=device_label(request.headers.get("user-agent", "")),
        now=access.now(),
    )
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(device_sessions.SESSION_LIFETIME.total_seconds()),
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


@router.delete("/session", status_code=204, response_class=Response, responses=error_responses(401))
def end_own_session(request: Request, session: SessionDep) -> Response:
    token = session_token(request.headers)
    if token is not None:
        device_sessions.end_session(session=session, token_hash=digest(token))
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response


@router.get("/devices", response_model=DeviceList, responses=LOCAL)
def list_devices(session: SessionDep, access: LocalAccess) -> Response:
    devices = device_sessions.list_devices(session=session, now=access.now())
    return json_response({"devices": devices})


@router.delete("/devices/{device_id}", status_code=204, response_class=Response, responses=LOCAL)
def remove_device(
    device_id: Annotated[int, Path(ge=1, le=MAX_DEVICE_ID)], session: SessionDep, _: LocalAccess
) -> Response:
    device_sessions.end_session(session=session, device_id=device_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/pairings", status_code=201, response_model=Pairing, responses=LOCAL)
def new_pairing(request: Request, access: LocalAccess) -> Response:
    code, expires_at = access.pairing.issue()
    network = access.network.state()
    # Where the phone will find the app: the network listener, or (a server reached over the
    # network already) the address this page came from. The code goes in the fragment, which
    # a browser never sends.
    base = network.urls[0] if network.enabled and network.urls else str(request.base_url)
    pairing = Pairing(code=code, url=f"{base}#pair={code}", expires_at=expires_at)
    return json_response(pairing, status_code=201)


@router.get("/network", response_model=NetworkState, responses=LOCAL)
def network_state(access: LocalAccess) -> Response:
    return json_response(access.network.state())


@router.put("/network", response_model=NetworkState, responses=LOCAL)
def switch_network(body: NetworkChange, access: LocalAccess) -> Response:
    return json_response(access.network.set_enabled(body.enabled))
