"""The lean WSGI path for the public pages (``itadesk/questionnaires/lean.py``, in front of Django in
``itadesk/wsgi.py``): it is really taken (Django's request signals never fire for the form, a
submission and the thanks page), it answers with Django's headers and pages, it leaves every CSRF
failure, bad submission and unusual request to Django (same 403 page and reason, same Thai messages,
body intact), and it handles database connections as Django's handler does."""

from __future__ import annotations

import io
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, connection, connections
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as settings_hyp
from hypothesis import strategies as st

from itadesk.questionnaires import lean, services
from itadesk.questionnaires.lean import LeanPublicPages
from itadesk.questionnaires.models import AbuseMark, Questionnaire, Response, State
from tests.questionnaires.qworld import full_answers, make, post_data
from tests.world import build_world

POSTGRES = connection.vendor == "postgresql"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
HOST = "127.0.0.1:8000"


class Browser:
    """Calls a WSGI application as a server would, keeping cookies like a browser."""

    def __init__(self, app):
        self.app, self.cookies = app, {}

    def __call__(self, method, path, data=None, *, cookies=True, headers=None, scheme="http", **environ):
        body = urlencode(data).encode() if data is not None else b""
        env = {"REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
               "HTTP_HOST": HOST, "REMOTE_ADDR": "192.0.2.10", "wsgi.url_scheme": scheme,
               "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
               "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.version": (1, 0)}
        if method == "POST":
            env.update(CONTENT_TYPE="application/x-www-form-urlencoded", CONTENT_LENGTH=str(len(body)),
                       HTTP_ORIGIN=f"{scheme}://{HOST}")
        if cookies and self.cookies:
            env["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        env.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()})
        env.update(environ)
        out = {}

        def start_response(status, response_headers):
            out.update(status=status, headers=response_headers)

        result = self.app(env, start_response)
        content = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        for name, value in out["headers"]:
            if name == "Set-Cookie":
                key, _, rest = value.strip().partition("=")
                self.cookies[key] = rest.split(";")[0]
        return Answer(int(out["status"].split()[0]), out["status"], out["headers"], content)


class Answer:
    def __init__(self, code, status, headers, content):
        self.code, self.status, self.headers, self.content = code, status, headers, content

    def header(self, name):
        found = [v for k, v in self.headers if k.lower() == name.lower()]
        return found[0] if found else None

    @property
    def text(self):
        return self.content.decode()


@pytest.fixture
def no_db_housekeeping(monkeypatch):
    """Inside a test's transaction, Django's per-request connection housekeeping would end the
    transaction: switched off for the lean path and Django alike, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    monkeypatch.setattr(lean, "close_old_connections", lambda: None)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def apps(no_db_housekeeping):
    """(lean app in front of Django, Django alone), built from the test's settings."""
    django_app = WSGIHandler()
    return LeanPublicPages(django_app), django_app


@pytest.fixture
def started():
    """Counts Django's request_started signals (each request that Django handles sends one)."""
    seen = []

    def count(**kwargs):
        seen.append(1)

    request_started.connect(count)
    yield seen
    request_started.disconnect(count)


def _token(page: Answer) -> str:
    return TOKEN.search(page.content).group(1).decode()


def _answers(q, csrf_token, **extra):
    return {**post_data(full_answers(q)), "csrfmiddlewaretoken": csrf_token, **extra}


# --- the lean path is taken ---------------------------------------------------------------------------


@pytest.mark.skipif(not POSTGRES, reason="the one-statement insert is PostgreSQL's; on SQLite Django stores")
def test_form_submission_and_thanks_never_reach_django(world, apps, started):
    app, _django = apps
    q = make(world, "IIT")
    browser = Browser(app)
    page = browser("GET", f"/q/{q.public_id}/")
    assert page.code == 200 and "ข้อความคำถาม i1" in page.text
    sent = browser("POST", f"/q/{q.public_id}/", _answers(q, _token(page)))
    assert sent.code == 302 and sent.header("Location") == reverse("q:thanks", args=[q.public_id])
    thanks = browser("GET", sent.header("Location"))
    assert thanks.code == 200 and 'data-testid="thanks"' in thanks.text
    assert started == [] and app.served == 3
    assert Response.objects.get().answers == full_answers(q) and AbuseMark.objects.count() == 1


def test_form_and_thanks_never_reach_django(world, apps, started):
    app, _django = apps
    q = make(world, "EIT")
    browser = Browser(app)
    assert browser("GET", f"/q/{q.public_id}/").code == 200
    assert browser("GET", f"/q/{q.public_id}/thanks/").code == 200
    assert started == [] and app.served == 2


# --- same headers and pages as Django -----------------------------------------------------------------


def _same_time(a: str, b: str) -> bool:
    return abs((parsedate_to_datetime(a) - parsedate_to_datetime(b)).total_seconds()) <= 2


def _normal_cookie(value: str) -> tuple[str, str]:
    """A Set-Cookie value without its token and expiry (both differ per call); and the expiry."""
    expires = re.search(r"expires=([^;]+)", value)
    text = re.sub(r"^( ?csrftoken=)[A-Za-z0-9]+", r"\1TOKEN", value)
    return (text.replace(expires.group(1), "DATE") if expires else text), (expires.group(1) if expires else "")


def assert_same_headers(ours: Answer, theirs: Answer):
    assert ours.status == theirs.status
    mine = [(k.lower(), v) for k, v in ours.headers]
    django_s = [(k.lower(), v) for k, v in theirs.headers]
    assert [k for k, _v in mine] == [k for k, _v in django_s]  # same headers, same order
    for (name, a), (_name, b) in zip(mine, django_s, strict=True):
        if name == "expires":
            assert _same_time(a, b)
        elif name == "set-cookie":
            (a_text, a_date), (b_text, b_date) = _normal_cookie(a), _normal_cookie(b)
            assert a_text == b_text and (a_date == b_date == "" or _same_time(a_date, b_date))
        else:
            assert a == b, name


def _same_page(a: bytes, b: bytes) -> bool:
    return TOKEN.sub(b"TOKEN", a) == TOKEN.sub(b"TOKEN", b)


@pytest.mark.parametrize("language", ["th", "en"])
def test_form_and_thanks_have_djangos_headers_and_content(world, apps, started, language):
    app, django_app = apps
    q = make(world, "IIT")
    ours, theirs = Browser(app), Browser(django_app)
    for b in (ours, theirs):
        b.cookies["django_language"] = language
    for path in (f"/q/{q.public_id}/", f"/q/{q.public_id}/thanks/"):
        mine, django_s = ours("GET", path), theirs("GET", path)
        assert_same_headers(mine, django_s)
        assert _same_page(mine.content, django_s.content)
        assert mine.header("Content-Language") == language
    assert len(started) == 2 and app.served == 2  # Django answered its two, the lean path ours
    headers = dict(ours("GET", f"/q/{q.public_id}/").headers)
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin" and headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Content-Type"] == "text/html; charset=utf-8" and "no-store" in headers["Cache-Control"]
    assert "Cookie" in headers["Vary"] and "csrftoken=" in headers["Set-Cookie"]


def test_headers_follow_the_settings_over_https(world, settings, no_db_housekeeping):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.CSRF_COOKIE_SECURE = True
    settings.X_FRAME_OPTIONS = "SAMEORIGIN"
    django_app = WSGIHandler()
    app = LeanPublicPages(django_app)
    q = make(world, "IIT")
    mine = Browser(app)("GET", f"/q/{q.public_id}/", scheme="https")
    theirs = Browser(django_app)("GET", f"/q/{q.public_id}/", scheme="https")
    assert_same_headers(mine, theirs)
    assert mine.header("Strict-Transport-Security") == "max-age=3600" and mine.header("X-Frame-Options") == "SAMEORIGIN"
    assert "Secure" in mine.header("Set-Cookie") and app.served == 1


@pytest.mark.skipif(not POSTGRES, reason="the lean submission is PostgreSQL's one-statement insert")
def test_the_redirect_after_a_submission_has_djangos_headers(world, apps, started):
    app, django_app = apps
    q = make(world, "IIT")
    ours, theirs = Browser(app), Browser(django_app)
    mine = ours("POST", f"/q/{q.public_id}/", _answers(q, _token(ours("GET", f"/q/{q.public_id}/"))))
    django_s = theirs("POST", f"/q/{q.public_id}/", _answers(q, _token(theirs("GET", f"/q/{q.public_id}/"))))
    assert mine.code == django_s.code == 302 and app.served == 2
    assert_same_headers(mine, django_s)
    assert Response.objects.count() == 2


# --- CSRF: Django's check; failures answered by Django ------------------------------------------------


@pytest.mark.parametrize("case, reason", [
    ("no cookie", "CSRF cookie not set."),
    ("no token", "CSRF token missing."),
    ("wrong token", "CSRF token from POST incorrect."),
    ("token of another visitor", "CSRF token from POST incorrect."),
    ("other site", "Origin checking failed - https://evil.example does not match any trusted origins."),
])
def test_csrf_failures_are_refused_with_djangos_page_and_reason(world, apps, started, caplog, case, reason):
    app, django_app = apps
    q = make(world, "IIT")
    path = f"/q/{q.public_id}/"
    answers = []
    for target in (app, django_app):
        browser, other = Browser(target), Browser(target)
        token = _token(browser("GET", path))
        data, kwargs = _answers(q, token), {}
        if case == "no cookie":
            kwargs["cookies"] = False
        elif case == "no token":
            del data["csrfmiddlewaretoken"]
        elif case == "wrong token":
            data["csrfmiddlewaretoken"] = token[:-1] + ("A" if token[-1] != "A" else "B")
        elif case == "token of another visitor":
            data["csrfmiddlewaretoken"] = _token(other("GET", path))
        else:
            kwargs["HTTP_ORIGIN"] = "https://evil.example"
        caplog.clear()
        answers.append(browser("POST", path, data, **kwargs))
        assert any(reason in r.getMessage() for r in caplog.records if r.name == "django.security.csrf")
    mine, django_s = answers
    assert mine.code == django_s.code == 403
    assert mine.content == django_s.content and b"CSRF" in mine.content
    assert Response.objects.count() == 0 and AbuseMark.objects.count() == 0
    assert app.served == (2 if case == "token of another visitor" else 1)  # GETs only: the POST was Django's


def test_a_cross_site_form_cannot_submit_even_with_a_stolen_cookie_value(world, apps):
    """A page elsewhere cannot read the visitor's token: with the cookie but no matching token, or from
    another origin, nothing is stored whichever path answers."""
    app, _django = apps
    q = make(world, "IIT")
    browser = Browser(app)
    token = _token(browser("GET", f"/q/{q.public_id}/"))
    assert browser("POST", f"/q/{q.public_id}/", _answers(q, "x" * 64)).code == 403
    assert browser("POST", f"/q/{q.public_id}/", _answers(q, token), HTTP_ORIGIN="null").code == 403
    assert Response.objects.count() == 0


# --- everything else goes to Django, body intact --------------------------------------------------------


def test_an_incomplete_submission_gets_djangos_thai_messages_with_the_answers_kept(world, apps, started):
    app, _django = apps
    q = make(world, "IIT")
    browser = Browser(app)
    data = _answers(q, _token(browser("GET", f"/q/{q.public_id}/")))
    del data["a-i3"]
    page = browser("POST", f"/q/{q.public_id}/", data)
    assert page.code == 400 and len(started) == 1  # Django read the same body again
    html = page.text
    assert "ข้อ i3: กรุณาเลือกคำตอบ" in html and 'data-testid="errors"' in html
    assert html.count(" checked") == len(data) - 1  # every other answer still chosen
    assert Response.objects.count() == 0


def test_closed_unknown_draft_and_token_questionnaires_go_to_django(world, apps, started):
    app, _django = apps
    browser = Browser(app)
    assert browser("GET", "/q/no-such-questionnaire/").code == 404
    draft = make(world, "EIT", publish=False)
    assert browser("GET", f"/q/{draft.public_id}/").code == 404
    assert browser("GET", f"/q/{draft.public_id}/thanks/").code == 404
    q = make(world, "IIT", tokens=True)
    code = services.issue_tokens(actor=world.admin_a, questionnaire=q, count=1)[0]
    token = _token(browser("GET", f"/q/{q.public_id}/"))
    assert browser("POST", f"/q/{q.public_id}/", _answers(q, token, token=code)).code == 302
    again = browser("POST", f"/q/{q.public_id}/", _answers(q, token, token=code))
    assert again.code == 400 and 'data-testid="errors"' in again.text
    assert Response.objects.filter(questionnaire=q).count() == 1
    services.close(actor=world.admin_a, questionnaire=q)
    page = browser("GET", f"/q/{q.public_id}/")
    assert page.code == 200 and 'data-testid="closed"' in page.text
    sent = browser("POST", f"/q/{q.public_id}/", _answers(q, token))
    assert sent.code == 200 and 'data-testid="closed"' in sent.text
    assert Response.objects.filter(questionnaire=q).count() == 1


def test_a_submission_after_another_process_closed_it_is_refused(world, apps):
    app, _django = apps
    q = make(world, "EIT")
    browser = Browser(app)
    token = _token(browser("GET", f"/q/{q.public_id}/"))  # this process now knows it as open
    Questionnaire.objects.filter(pk=q.pk).update(state=State.CLOSED, closed_at=q.opens_at)
    page = browser("POST", f"/q/{q.public_id}/", _answers(q, token))
    assert page.code == 200 and 'data-testid="closed"' in page.text
    assert Response.objects.count() == 0 and AbuseMark.objects.count() == 0


def test_other_paths_methods_and_prefixes_go_to_django(world, apps, started):
    app, _django = apps
    q = make(world, "IIT")
    browser = Browser(app)
    assert browser("HEAD", f"/q/{q.public_id}/").code == 200
    assert browser("POST", f"/q/{q.public_id}/thanks/", {}).code == 200  # as Django answers it today
    assert browser("GET", f"/q/{q.public_id}/", SCRIPT_NAME="/ita").code in (200, 404)
    assert browser("GET", "/accounts/login/").code == 200
    assert browser("GET", "/q/a/b/").code == 404
    assert len(started) == 5 and app.served == 0


def test_a_body_that_is_not_a_plain_form_goes_to_django(world, apps, started):
    app, _django = apps
    q = make(world, "IIT")
    browser = Browser(app)
    token = _token(browser("GET", f"/q/{q.public_id}/"))
    body = urlencode(_answers(q, token)).encode()
    page = browser("POST", f"/q/{q.public_id}/", CONTENT_TYPE="text/plain", CONTENT_LENGTH=str(len(body)),
                   **{"wsgi.input": io.BytesIO(body)})
    assert page.code == 403 and len(started) == 1  # Django: no form, so no token
    assert Response.objects.count() == 0


# --- database connections -------------------------------------------------------------------------------


@pytest.fixture
def tworld(transactional_db):
    return build_world()


@pytest.mark.skipif(not POSTGRES, reason="PostgreSQL: connection state and the one-statement insert")
def test_an_error_is_djangos_500_and_leaves_no_transaction_open(tworld, monkeypatch):
    import psycopg

    app = LeanPublicPages(WSGIHandler())
    q = make(tworld, "IIT")
    browser = Browser(app)
    token = _token(browser("GET", f"/q/{q.public_id}/"))
    errors = []
    got_request_exception.connect(lambda **kw: errors.append(kw), weak=False, dispatch_uid="lean-test")
    try:
        with monkeypatch.context() as m:
            m.setattr(services, "_one_statement_sql", lambda: "SELECT 1 / 0, %(q)s, %(id)s, %(mark)s")
            page = browser("POST", f"/q/{q.public_id}/", _answers(q, token))
    finally:
        got_request_exception.disconnect(dispatch_uid="lean-test")
    assert page.code == 500 and len(errors) == 1
    raw = connection.connection
    assert raw is None or raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert not connection.in_atomic_block
    assert browser("POST", f"/q/{q.public_id}/", _answers(q, token)).code == 302  # the connection works
    assert Response.objects.count() == 1


@pytest.mark.skipif(not POSTGRES, reason="CONN_MAX_AGE applies to PostgreSQL (SQLite: 0)")
def test_connections_are_closed_when_old_as_django_does(tworld):
    app = LeanPublicPages(WSGIHandler())
    q = make(tworld, "IIT")
    browser = Browser(app)
    browser("GET", f"/q/{q.public_id}/")
    connection.ensure_connection()
    old = connection.connection
    connection.close_at = time.monotonic() - 1  # CONN_MAX_AGE has passed
    assert browser("GET", f"/q/{q.public_id}/").code == 200
    assert old.closed and app.served == 2


@pytest.mark.skipif(not POSTGRES, reason="parallel writers: PostgreSQL")
def test_concurrent_submissions_through_the_lean_path_lose_nothing(tworld):
    app = LeanPublicPages(WSGIHandler())
    q = make(tworld, "IIT")
    lock = threading.Lock()
    codes = []

    def one(_n):
        try:
            browser = Browser(app)
            token = _token(browser("GET", f"/q/{q.public_id}/"))
            sent = browser("POST", f"/q/{q.public_id}/", _answers(q, token))
            with lock:
                codes.append(sent.code)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(40)))
    assert codes == [302] * 40 and Response.objects.filter(questionnaire=q).count() == 40
    assert app.served == 80


# --- pure parts -------------------------------------------------------------------------------------------

secrets_ = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=32, max_size=32)


@settings_hyp(max_examples=300, deadline=None)
@given(secrets_)
def test_the_masked_token_is_what_djangos_check_accepts(secret):
    from django.middleware.csrf import _check_token_format, _does_token_match, _unmask_cipher_token

    token = lean.csrf_mask(secret)
    _check_token_format(token)  # 64 allowed characters
    assert len(token) == 64 and _unmask_cipher_token(token) == secret and _does_token_match(token, secret)
    assert lean.csrf_mask(secret) != token  # a fresh mask each time


plain = st.text(alphabet="abcdefghij-_.=&0123456789", max_size=60)


@settings_hyp(max_examples=300, deadline=None)
@given(plain)
def test_the_form_parser_reads_plain_bodies_as_django_does(text):
    from django.http import QueryDict

    from itadesk.questionnaires.middleware import parse_form

    assert sorted(parse_form(text.encode()).lists()) == sorted(QueryDict(text.encode(), encoding="utf-8").lists())
