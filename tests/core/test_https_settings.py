"""Served over HTTPS (ITADESK_SITE_URL=https://…), the app is secure by default: Django's deploy check is
clean, plain HTTP is redirected, HSTS is sent, cookies are Secure, only the site's own host is served."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
c = Client()
plain = c.get("/accounts/login/")
secure = c.get("/accounts/login/", secure=True)
forwarded = c.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
health = c.get("/healthz")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "secure": [secure.status_code, secure.get("Strict-Transport-Security", ""),
               {k: v["secure"] for k, v in secure.cookies.items()}],
    "forwarded": forwarded.status_code,
    "health": health.status_code,
    "hosts": settings.ALLOWED_HOSTS,
}))
"""


def _run(tmp_path, *args, **env_extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("ITADESK_") and k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(ITADESK_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="itadesk.settings", PYTHAINLP_OFFLINE="1",
               **env_extra)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_the_deploy_check_is_clean_over_https_and_not_over_plain_http(tmp_path):
    https = _run(tmp_path, "-m", "itadesk.cli", "check", "--deploy", "--fail-level", "WARNING",
                 ITADESK_SITE_URL="https://ita.loei.go.th")
    assert https.returncode == 0, https.stderr
    plain = _run(tmp_path, "-m", "itadesk.cli", "check", "--deploy", "--fail-level", "WARNING")
    assert plain.returncode != 0 and "W016" in plain.stderr  # the check itself works


def test_https_pages_redirect_send_hsts_and_secure_cookies(tmp_path):
    done = _run(tmp_path, "-c", PROBE, ITADESK_SITE_URL="https://ita.loei.go.th",
                ITADESK_ALLOWED_HOSTS="testserver")
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://testserver/accounts/login/"]
    assert seen["health"] != 301  # a local probe of the app server needs no HTTPS
    status, hsts, cookies = seen["secure"]
    assert status == 200 and hsts == "max-age=31536000; includeSubDomains"
    assert cookies and all(cookies.values())
    # without a trusted proxy, a client's own X-Forwarded-Proto does not count as HTTPS
    assert seen["forwarded"] == 301


def test_behind_a_trusted_proxy_its_forwarded_proto_counts(tmp_path):
    done = _run(tmp_path, "-c", PROBE, ITADESK_SITE_URL="https://ita.loei.go.th", ITADESK_ALLOWED_HOSTS="testserver",
                ITADESK_TRUSTED_PROXIES="127.0.0.1")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["forwarded"] == 200


def test_only_the_sites_own_host_by_default(tmp_path):
    done = _run(tmp_path, "-c", "import django; django.setup(); from django.conf import settings; "
                "print(','.join(settings.ALLOWED_HOSTS))", ITADESK_SITE_URL="https://ita.loei.go.th")
    assert done.stdout.strip() == "ita.loei.go.th,127.0.0.1,localhost,[::1]"
