"""``itadesk oit check``: against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from itadesk.methodology import schema
from tests.evidence import servers

evidence_server = servers.evidence_server  # fixture


def oit(*args) -> str:
    out = StringIO()
    call_command("oit", "check", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_prints_each_finding(evidence_server):
    text = oit(evidence_server.url("/drive-page"), "--item", "o6", "--domain", "127.0.0.1", "--allow", "127.0.0.1")
    assert "o6 แผนและความก้าวหน้าในการดำเนินงานและการใช้งบประมาณประจำปี" in text
    assert "ปีงบประมาณของรอบ 2568" in text
    for line in ("[ผ่าน/PASS] reachable (ok)", "[ผ่าน/PASS] off_domain (ok)", "[ผ่าน/PASS] fiscal_year (ok)",
                 "[ผ่าน/PASS] elements (ok)", "[ไม่ผ่าน/FAIL] off_domain_links (warning)"):
        assert line in text
    assert "drive.google.com (Google Drive)" in text
    assert "8 ผ่าน, 1 ไม่ผ่าน" in text


def test_json(evidence_server):
    payload = json.loads(oit(evidence_server.url("/o6/old"), "--item", "o6", "--json", "--allow", "127.0.0.1",
                             "--fiscal-year", "๒๕๖๘"))
    assert payload["framework"] == "nacc-ita-2568" and payload["item"] == "o6" and payload["fiscal_year"] == 2568
    assert payload["fetch"]["status"] == 200 and payload["document"]["kind"] == "html"
    by_code = {(f["code"], f.get("detail", {}).get("element")): f for f in payload["findings"]}
    assert by_code[("fiscal_year", None)]["passed"] is False
    assert by_code[("elements", "o6.1")]["passed"] is False and by_code[("elements", "o6.2")]["passed"] is True
    assert payload["passed"] is False


def test_the_round_year_changes_the_verdict(evidence_server):
    payload = json.loads(oit(evidence_server.url("/o6/old"), "--item", "o6", "--json", "--allow", "127.0.0.1",
                             "--fiscal-year", "2566"))
    assert next(f for f in payload["findings"] if f["code"] == "fiscal_year")["passed"] is True


def test_without_the_allow_list_the_address_is_refused_but_the_command_succeeds(evidence_server, settings):
    settings.ITADESK_CRAWLER_ALLOW = []
    text = oit(evidence_server.url("/o6"), "--item", "o6")
    assert "[ไม่ผ่าน/FAIL] refused_address (error)" in text


def test_the_allow_list_from_settings(evidence_server, settings):
    settings.ITADESK_CRAWLER_ALLOW = ["127.0.0.1"]
    assert "[ผ่าน/PASS] reachable (ok)" in oit(evidence_server.url("/o6"), "--item", "o6")


def test_framework_by_path(evidence_server, tmp_path):
    path = schema.FRAMEWORKS_DIR / "nacc-ita-2569.yaml"
    payload = json.loads(oit(evidence_server.url("/o6"), "--item", "o6", "--framework", str(path), "--json",
                             "--allow", "127.0.0.1"))
    assert payload["framework"] == "nacc-ita-2569" and payload["fiscal_year"] == 2569


@pytest.mark.parametrize("args", [
    ("http://127.0.0.1/x", "--item", "o99"),
    ("http://127.0.0.1/x", "--item", "i1"),  # an IIT item, not OIT
    ("http://127.0.0.1/x", "--item", "o1", "--framework", "no-such-framework"),
    ("http://127.0.0.1/x", "--item", "o1", "--framework", "/no/such/file.yaml"),
    ("ftp://127.0.0.1/x", "--item", "o1"),
    ("http://user:pw@127.0.0.1/x", "--item", "o1"),
    ("http://127.0.0.1/x", "--item", "o1", "--fiscal-year", "68"),
])
def test_bad_arguments_exit_with_status_2(args):
    with pytest.raises(CommandError) as info:
        oit(*args)
    assert info.value.returncode == 2
    assert "pw" not in str(info.value)
