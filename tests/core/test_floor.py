"""What every signed-in page pays before its own work, made cheaper without changing the page
(docs/benchmarks.md "The floor, second round"): base.html's parts that depend on nothing of the request rendered
once per process (``{% layout_part %}``), the CSRF token masked from one random read (core.context_processors),
the session read with the data versions in one round trip (core.sessions). The tests run with the page cache on (tests/conftest.py)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import caches
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, _unmask_cipher_token
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core import context_processors, sessions, versions
from tests.world import PASSWORD

FLOOR = "/accounts/password/change/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def cached_sessions(settings):
    settings.SESSION_ENGINE = "itadesk.core.sessions"  # as production with Redis


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- base.html's parts rendered once -------------------------------------------------------------

@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("part", ["core/partials/layout_head.html", "core/partials/layout_foot.html"])
def test_a_layout_part_is_its_template_rendered(part, language):
    with translation.override(language):
        kept = Template(f'{{% layout_part "{part}" %}}').render(Context())
        assert kept == render_to_string(part)
    assert kept.count("<") >= 5 and "{%" not in kept


@pytest.mark.parametrize("who", ["admin_a", "exec_a", "secretariat", "nacc_officer", "reviewer", "superuser"])
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_page_holds_the_parts_of_its_language(world, who, language):
    client = signed_in(getattr(world, who))
    client.cookies["django_language"] = language
    html = client.get(FLOOR).content.decode()
    with translation.override(language):
        head, foot = (render_to_string(f"core/partials/layout_{p}.html") for p in ("head", "foot"))
    assert "</title>\n" + head + "\n</head>" in html
    assert "</main>\n" + foot + "\n" in html
    assert ("Times are Bangkok time" in foot) == (language == "en")


def test_a_layout_part_follows_the_static_settings(settings):
    before = Template('{% layout_part "core/partials/layout_head.html" %}').render(Context())
    settings.STATIC_URL = "/elsewhere/"
    after = Template('{% layout_part "core/partials/layout_head.html" %}').render(Context())
    assert "/static/vendor/bootstrap/" in before and "/elsewhere/vendor/bootstrap/" in after


def test_a_layout_part_is_rendered_afresh_with_debug_or_a_nonce(settings):
    tag = Template('{% layout_part "core/partials/layout_foot.html" %}')
    settings.DEBUG = True  # django-htmx adds its debug script
    assert "django-htmx.js" in tag.render(Context())
    settings.DEBUG = False
    assert "django-htmx.js" not in tag.render(Context())
    assert 'nonce="n0nce"' in tag.render(Context({"csp_nonce": "n0nce"}))


# --- the CSRF token ----------------------------------------------------------------------------------

@given(st.text(alphabet=CSRF_ALLOWED_CHARS, min_size=CSRF_SECRET_LENGTH, max_size=CSRF_SECRET_LENGTH))
def test_a_masked_token_unmasks_to_its_secret(secret):
    token = context_processors.mask(secret)
    assert len(token) == 2 * CSRF_SECRET_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret


def test_the_mask_draws_every_character_evenly():
    assert 256 - context_processors._LIMIT < len(CSRF_ALLOWED_CHARS) and context_processors._LIMIT % 62 == 0
    counts = Counter(c for _ in range(4000) for c in context_processors.mask("a" * CSRF_SECRET_LENGTH)[:32])
    expected = 4000 * 32 / len(CSRF_ALLOWED_CHARS)  # ~2065 each
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    assert all(abs(n - expected) < 0.12 * expected for n in counts.values())


def test_pages_carry_tokens_of_the_cookies_secret_masked_afresh(world):
    client = signed_in(world.admin_a)
    tokens = [t for _ in range(2) for t in TOKEN.findall(client.get(FLOOR).content.decode())]
    assert len(tokens) == 6  # the language switch, the log-out form, the page's form; twice
    secret = client.cookies["csrftoken"].value
    assert {_unmask_cipher_token(t) for t in tokens} == {secret}
    assert len({t[:CSRF_SECRET_LENGTH] for t in tokens}) >= 2  # one mask a page, a new one on the next


def test_csrf_is_still_enforced(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin_a)
    token = TOKEN.search(client.get(FLOOR).content.decode())[1]
    form = {"old_password": PASSWORD, "new_password1": "x", "new_password2": "y"}
    assert client.post(FLOOR, form).status_code == 403  # no token
    bad = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert client.post(FLOOR, {**form, "csrfmiddlewaretoken": bad}).status_code == 403
    assert client.post(FLOOR, {**form, "csrfmiddlewaretoken": token}).status_code == 200  # the form's own errors


def test_a_first_visit_gets_a_cookie_and_a_token_of_it(db):
    client = Client(enforce_csrf_checks=True)
    response = client.get(reverse("accounts:login"))
    token = TOKEN.search(response.content.decode())[1]
    assert _unmask_cipher_token(token) == response.cookies["csrftoken"].value


# --- the session with the versions -------------------------------------------------------------------

class Reads:
    """The cache's ``get_many`` calls (the real cache, its calls listed)."""

    def __init__(self, monkeypatch):
        self.calls = []
        backend = type(caches["default"])
        real_many, real_one = backend.get_many, backend.get

        inside = []  # the local-memory cache's get_many calls its get for each key: one read all the same

        def many(self_, keys, *args, **kwargs):
            self.calls.append(list(keys))
            inside.append(True)
            try:
                return real_many(self_, keys, *args, **kwargs)
            finally:
                inside.pop()

        def one(self_, key, *args, **kwargs):
            if not inside:
                self.calls.append([key])
            return real_one(self_, key, *args, **kwargs)
        monkeypatch.setattr(backend, "get_many", many)
        monkeypatch.setattr(backend, "get", one)


def test_a_warm_page_reads_its_session_with_the_versions_at_once(world, monkeypatch):
    client = signed_in(world.admin_a)
    for _ in range(2):
        assert client.get(FLOOR).status_code == 200
    reads = Reads(monkeypatch)
    assert client.get(FLOOR).status_code == 200
    assert len(reads.calls) == 1  # the session and the versions in one read
    keys = reads.calls[0]
    assert keys[0].endswith(client.cookies["sessionid"].value)
    assert {k.rsplit(":v:", 1)[-1] for k in keys[1:]} == {"global", f"user:{world.admin_a.pk}"}


def test_a_wrong_guess_of_the_person_reads_the_right_versions(world, monkeypatch):
    client = signed_in(world.admin_a)
    assert client.get(FLOOR).status_code == 200
    sessions._users[client.cookies["sessionid"].value] = str(world.admin_b.pk)
    html = client.get(FLOOR).content.decode()
    assert world.admin_a.username in html or world.admin_a.get_full_name() in html
    assert sessions._users[client.cookies["sessionid"].value] == str(world.admin_a.pk)


def test_versions_read_with_the_session_are_those_of_the_request(world):
    """The versions read with the session are remembered for the request: a write after them (another process's)
    gives a new version that the next request reads."""
    client = signed_in(world.admin_a)
    assert client.get(FLOOR).status_code == 200
    name = world.admin_a.get_full_name() or world.admin_a.username
    assert name in client.get(FLOOR).content.decode()
    world.admin_a.first_name, world.admin_a.last_name = "ชื่อใหม่", "นามสกุลใหม่"
    world.admin_a.save()
    assert "ชื่อใหม่" in client.get(FLOOR).content.decode()


def test_a_session_revoked_elsewhere_is_seen_at_once(world):
    """A session deleted by another process (log-out there, an administrator clearing it) ends at the next request,
    although this process knows its person."""
    from django.contrib.sessions.models import Session

    client = signed_in(world.admin_a)
    for _ in range(2):
        assert client.get(FLOOR).status_code == 200
    key = client.cookies["sessionid"].value
    assert sessions._users[key] == str(world.admin_a.pk)
    sessions.SessionStore(key).delete()
    assert not Session.objects.filter(session_key=key).exists()
    response = client.get(FLOOR)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_outside_a_request_the_session_reads_only_itself(world):
    client = signed_in(world.admin_a)
    store = sessions.SessionStore(client.cookies["sessionid"].value)
    assert store[SESSION_KEY] == str(world.admin_a.pk)
    assert versions.read_with(["nothing-here"], ["user:1"]) == {}
