"""/healthz: public JSON saying whether the database and the job queue answer, and nothing more."""

import json

import pytest
from huey import RedisHuey

from tests.deploy.stack import free_port

pytestmark = pytest.mark.django_db


def test_healthy_installation_answers_ok_without_login(client):
    from huey.contrib import djhuey

    djhuey.HUEY.flush()  # jobs other tests left in this run's queue are not this installation's
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert json.loads(response.content) == {"status": "ok", "checks": {"database": "ok", "jobs": "ok"},
                                            "queued": 0}
    assert client.head("/healthz").status_code == 200


def test_only_reads(client):
    assert client.post("/healthz").status_code == 405


def test_queue_down_is_503_without_details(client, monkeypatch, caplog):
    """A Redis queue where nothing listens (a real client, a closed loopback port): 503, the reason only
    in the log."""
    from huey.contrib import djhuey

    monkeypatch.setattr(djhuey, "HUEY", RedisHuey("itadesk-health-test", url=f"redis://127.0.0.1:{free_port()}/0"))
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "error", "checks": {"database": "ok", "jobs": "error"}, "queued": None}
    assert "127.0.0.1" not in response.content.decode()
    assert "job queue does not answer" in caplog.text
