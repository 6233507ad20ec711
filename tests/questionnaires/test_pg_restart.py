"""PostgreSQL stopped and started again while respondents are sending a questionnaire: every submission that was
accepted (302 to the thanks page) is stored, and a submission during the outage gets the 503 page that says nothing
was saved and to send again (never a 500). The site is the real WSGI application (``itadesk.wsgi``, with the lean
public path) served on 127.0.0.1 by threads; the database is the test run's own PostgreSQL cluster, stopped and
started with pg_ctl. Only on PostgreSQL."""

from __future__ import annotations

import http.cookiejar
import os
import re
import shlex
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.db import connection, connections

from itadesk.core import errors
from itadesk.questionnaires.models import Response
from tests.questionnaires.qworld import full_answers, make, post_data
from tests.world import build_world

ROOT = Path(__file__).resolve().parents[2]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_database_error_is_a_503_page_that_says_to_send_again():
    from django.db import OperationalError
    from django.utils import translation

    try:
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    except OperationalError:
        with translation.override("th"):  # the site's language; no request here to choose one
            response = errors.server_error(None)
    body = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert "ยังไม่ได้บันทึก" in body and "ส่งแบบฟอร์มเดิมอีกครั้ง" in body
    assert "connection to server" not in body  # nothing of the error leaks
    try:
        raise ValueError("a bug")
    except ValueError:
        assert errors.server_error(None).status_code == 500


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def _stop_and_start(pause: float) -> None:
    """Stop the cluster (fast: every session is cut), wait, start it again with the options it was started with."""
    found = subprocess.run(["bash", "-c", f". {ROOT}/scripts/pg-bin.sh && pg_bindir"], capture_output=True,
                           text=True, check=True)
    pg_ctl = [*(["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []), f"{found.stdout.strip()}/pg_ctl"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        data = Path(cursor.fetchone()[0])
    options = shlex.split((data / "postmaster.opts").read_text())[1:]
    if "-D" in options:
        at = options.index("-D")
        del options[at:at + 2]
    subprocess.run([*pg_ctl, "-D", str(data), "stop", "-m", "fast", "-w", "-t", "30"], cwd=data.parent, check=True,
                   timeout=60, capture_output=True)
    time.sleep(pause)
    subprocess.run([*pg_ctl, "-D", str(data), "start", "-w", "-t", "60", "-l", str(data.parent / "restart.log"),
                    "-o", " ".join(shlex.quote(o) for o in options)], cwd=data.parent, check=True, timeout=90,
                   capture_output=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="restarts the test run's PostgreSQL cluster")
def test_submissions_across_a_postgresql_restart_are_stored_or_told_to_retry(transactional_db, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.DEBUG = False
    w = build_world()
    q = make(w, "EIT")
    data = post_data(full_answers(q))
    from itadesk.wsgi import application

    def app(environ, start_response):  # each request's database session ends with it (the threads are throwaway)
        try:
            return list(application(environ, start_response))
        finally:
            connections.close_all()

    httpd = make_server("127.0.0.1", 0, app, server_class=_Server, handler_class=_Quiet)
    serving = threading.Thread(target=httpd.serve_forever, daemon=True)
    serving.start()
    base = f"http://127.0.0.1:{httpd.server_port}/q/{q.public_id}/"
    outcomes: list[tuple[str, int, str]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def respondent(n: int):
        while not stop.is_set():
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
            try:
                try:
                    page = opener.open(base, timeout=30).read().decode()
                except urllib.error.HTTPError as exc:
                    with lock:
                        outcomes.append(("form", exc.code, exc.read().decode(errors="replace")))
                    time.sleep(0.1)
                    continue
                body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": TOKEN.search(page).group(1)}).encode()
                try:
                    sent = opener.open(urllib.request.Request(base, data=body), timeout=30)
                    code, text = sent.status, sent.read().decode(errors="replace")
                except urllib.error.HTTPError as exc:
                    code, text = exc.code, exc.read().decode(errors="replace")
                with lock:
                    outcomes.append(("submit", code, text))
            finally:
                connections.close_all()

    threads = [threading.Thread(target=respondent, args=(n,)) for n in range(4)]
    try:
        for t in threads:
            t.start()
        time.sleep(3)
        _stop_and_start(pause=3)
        time.sleep(3)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
        httpd.shutdown()
        httpd.server_close()
    connections.close_all()  # this thread's session was cut too

    accepted = [o for o in outcomes if o[0] == "submit" and o[1] == 302]
    refused = [o for o in outcomes if o[1] not in (200, 302)]
    assert accepted, outcomes[:3]
    assert refused, "the outage was not seen by any request"
    assert {code for _kind, code, _text in refused} == {503}, [(k, c, t[:300]) for k, c, t in refused if c != 503]
    assert all("ส่งแบบฟอร์มเดิมอีกครั้ง" in text for _kind, _code, text in refused)
    stored = Response.objects.filter(questionnaire=q).count()
    sent = sum(1 for o in outcomes if o[0] == "submit")
    assert len(accepted) <= stored <= sent  # every accepted one is stored; a refused one may have been (commit lost)
