"""The app's frame: health, the error envelope for every kind of error, the guards."""

from fastapi.testclient import TestClient

from backend import __version__


def test_health_answers_ok_with_version(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


def test_unknown_api_path_gets_envelope(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"code": "ERR_NOT_FOUND", "params": {}}


def test_wrong_method_gets_envelope(client: TestClient) -> None:
    response = client.delete("/api/v1/health")
    assert response.status_code == 405
    assert response.json() == {"code": "ERR_METHOD_NOT_ALLOWED", "params": {}}
    assert response.headers["Allow"] == "GET"
    # Each method of a path is its own route: the answer names all of them.
    allowed = client.put("/api/v1/types/1").headers["Allow"]
    assert allowed == "DELETE, GET, PATCH"


def test_openapi_is_served_without_422_shapes(client: TestClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/health" in schema["paths"]
    # Every error is a 400 envelope: FastAPI's own 422 shape is described nowhere.
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 10
    for operation in operations:
        assert "422" not in operation["responses"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert client.get("/api/docs").status_code == 200


def test_foreign_host_is_refused(client: TestClient) -> None:
    response = client.get("/api/v1/health", headers={"Host": "evil.example:8000"})
    assert response.status_code == 400
    assert response.json() == {"code": "ERR_BAD_HOST", "params": {}}


def test_loopback_hosts_are_accepted(client: TestClient) -> None:
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8765", "LOCALHOST"):
        assert client.get("/api/v1/health", headers={"Host": host}).status_code == 200


def test_configured_host_is_accepted(settings, engine) -> None:  # type: ignore[no-untyped-def]
    from backend.main import create_app

    app = create_app(
        settings.model_copy(update={"allowed_hosts": ["nas.home"]}),
        engine=engine,
        daily_copies=False,
    )
    with TestClient(app, base_url="http://nas.home:8000") as other:
        assert other.get("/api/v1/health").status_code == 200


def test_foreign_origin_is_refused_on_changes(client: TestClient) -> None:
    response = client.post(
        "/api/v1/types", json={"name": "Orks"}, headers={"Origin": "http://evil.example"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "ERR_FORBIDDEN_ORIGIN"
    # Reading is not guarded by Origin; the app's own origin passes.
    assert (
        client.get("/api/v1/health", headers={"Origin": "http://evil.example"}).status_code == 200
    )


def test_non_json_body_is_refused(client: TestClient) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = client.post(
            "/api/v1/types", content=b'{"name": "Orks"}', headers={"Content-Type": content_type}
        )
        assert response.status_code == 415, content_type
        assert response.json()["code"] == "ERR_UNSUPPORTED_MEDIA_TYPE"


def test_guard_order_host_before_origin_before_media_type(client: TestClient) -> None:
    headers = {
        "Host": "evil.example",
        "Origin": "http://evil.example",
        "Content-Type": "text/plain",
    }
    assert (
        client.post("/api/v1/types", content=b"x", headers=headers).json()["code"] == "ERR_BAD_HOST"
    )
    headers["Host"] = "127.0.0.1"
    code = client.post("/api/v1/types", content=b"x", headers=headers).json()["code"]
    assert code == "ERR_FORBIDDEN_ORIGIN"


def test_no_cors_headers(client: TestClient) -> None:
    response = client.options(
        "/api/v1/types",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert not any(name.lower().startswith("access-control-") for name in response.headers)


def test_unexpected_error_is_an_envelope_without_trace(client: TestClient) -> None:
    app = client.app

    @app.get("/api/v1/boom")  # type: ignore[attr-defined, untyped-decorator]
    def boom() -> None:
        raise RuntimeError("secret internals")

    response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json() == {"code": "ERR_INTERNAL", "params": {}}
    assert "secret" not in response.text


def test_trailing_slash_is_not_a_path_of_the_api(client: TestClient) -> None:
    for method in ("GET", "POST"):
        response = client.request(method, "/api/v1/types/", json={"name": "Orks"})
        assert response.status_code == 404
        assert response.json() == {"code": "ERR_NOT_FOUND", "params": {}}
    assert client.get("/api/v1/types").json() == []  # and nothing was created


def test_unreadable_json_body_is_a_body_error(client: TestClient) -> None:
    headers = {"Content-Type": "application/json"}
    for body in (b'{"name": "\xff"}', b"[" * 5000 + b"]" * 5000, b"{bad"):
        response = client.post("/api/v1/types", content=body, headers=headers)
        assert response.status_code == 400
        assert response.json() == {"code": "ERR_VALIDATION", "params": {"fields": ["body"]}}


def test_configured_hosts_may_carry_a_port_or_be_bare_ipv6(settings, engine) -> None:  # type: ignore[no-untyped-def]
    from backend.main import create_app

    configured = settings.model_copy(update={"allowed_hosts": ["nas.home:8000", "fe80::1"]})
    with TestClient(
        create_app(configured, engine=engine, daily_copies=False), base_url="http://127.0.0.1"
    ) as other:
        for host in ("nas.home:8000", "nas.home", "[fe80::1]:8000"):
            assert other.get("/api/v1/health", headers={"Host": host}).status_code == 200, host
        assert other.get("/api/v1/health", headers={"Host": "fe80::2"}).status_code == 400


def test_building_the_app_leaves_the_process_collector_alone(settings, engine) -> None:  # type: ignore[no-untyped-def]
    """The collector's threshold is the serving process's choice (its entry point's)."""
    import gc

    from backend.main import create_app

    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        create_app(settings, engine=engine)
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)
