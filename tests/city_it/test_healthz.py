"""City IT's load balancer and monitoring ask /healthz whether this server can serve:
the database, the shared cache and the broker, and when the scheduler last ran."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from busan_tracker import health
from tests.conftest import free_port

DOWN_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:{port}/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def test_a_healthy_server_answers_200_with_each_check_and_beat_unknown(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    lines = response.content.decode().splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        "database: ok",
        "cache: ok",
        "broker: ok",
        "beat: unknown, 0 waiting",
    ]


def test_monitoring_reads_the_same_checks_as_json(client, db):
    for response in (
        client.get("/healthz?format=json"),
        client.get("/healthz", headers={"Accept": "application/json"}),
    ):
        body = json.loads(response.content)
        assert body["status"] == "ok"
        assert {name: check["state"] for name, check in body["checks"].items()} == {
            "database": "ok",
            "cache": "ok",
            "broker": "ok",
            "beat": "unknown",
        }
        assert all(check["ms"] >= 0 for check in body["checks"].values())


def test_a_cache_that_does_not_answer_takes_the_server_out_of_rotation(client, db, caplog):
    port = free_port()
    caches = {"default": {**DOWN_REDIS["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    with override_settings(CACHES=caches):
        response = client.get("/healthz?format=json")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "failing"
    assert body["checks"]["cache"]["state"] == "failing"
    assert body["checks"]["database"]["state"] == "ok"
    # The reason goes to city IT's log, never to whoever asks /healthz.
    assert str(port) not in response.content.decode()
    assert any(str(port) in record.exc_text for record in caplog.records if record.exc_text)


def test_a_broker_that_does_not_answer_fails_the_check_without_saying_where_it_is(client, db):
    port = free_port()
    with override_settings(
        CELERY_BROKER_URL=f"redis://:secret-password@127.0.0.1:{port}/0",
        CELERY_BROKER_TRANSPORT_OPTIONS={},
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    text = response.content.decode()
    assert "broker: failing" in text
    assert "secret-password" not in text and str(port) not in text


def test_the_probe_is_three_queries_and_anyone_may_ask(client, db):
    """The database's SELECT 1, and the reminders' heartbeat and waiting log (two)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/healthz").status_code == 200
    assert len(queries) == 3
    assert client.post("/healthz").status_code == 405


def test_a_check_is_one_function_in_the_registry(client, db, monkeypatch):
    """Issue 16 adds the scheduler's heartbeat and the oldest pending reminder this way."""

    def oldest_pending_reminder():
        return health.Result("failing", "oldest pending reminder: 2 h")

    monkeypatch.setattr(
        health,
        "CHECKS",
        [*health.CHECKS, health.Check("reminders", oldest_pending_reminder, serves_pages=False)],
    )
    response = client.get("/healthz")
    # Late reminders are city IT's alarm, not a reason to stop serving pages.
    assert response.status_code == 200
    assert "reminders: failing, oldest pending reminder: 2 h" in response.content.decode()

    monkeypatch.setattr(health, "CHECKS", [health.Check("pages", oldest_pending_reminder)])
    assert client.get("/healthz").status_code == 503
