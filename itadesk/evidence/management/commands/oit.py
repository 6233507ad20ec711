"""``itadesk oit check URL --item CODE [--framework ID_OR_PATH] [--domain MAIN-DOMAIN]
[--fiscal-year 2568] [--allow HOST] [--json]``: the automatic evidence checks for one URL, as the
background job runs them, with each finding's code, pass/fail and explanation.

Exit status 0 whenever the URL could be checked (whatever the findings say); 2 for bad arguments
(unknown framework or item, a URL that is not http(s), a bad fiscal year)."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from itadesk.core.thai import arabic_digits
from itadesk.evidence.checker import CheckerConfig, check_url
from itadesk.evidence.checker.config import parse_allow
from itadesk.evidence.checker.fetch import BadURL, parse_url, redact_url
from itadesk.methodology import schema

DEFAULT_FRAMEWORK = "nacc-ita-2568"
_FRAMEWORK_ID = re.compile(r"[a-z0-9-]+")
_TIME_RULE_TH = {"current_year": "ปีงบประมาณปัจจุบัน", "previous_year": "ปีงบประมาณที่ผ่านมา",
                 "covers_current_year": "แผนที่ครอบคลุมปีงบประมาณปัจจุบัน",
                 "first_half_current_year": "รอบ 6 เดือนแรกของปีงบประมาณปัจจุบัน",
                 "current_holder": "ผู้ดำรงตำแหน่งปัจจุบัน ไม่ต้องระบุปี", "any_year": "ไม่กำหนดปี",
                 "none": "ไม่ต้องระบุปี"}
_MARK = {True: "ผ่าน/PASS", False: "ไม่ผ่าน/FAIL"}


def _usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def load_framework(spec: str) -> tuple[dict, str]:
    """A shipped framework by id (``itadesk/methodology/frameworks/<id>.yaml``) or a file path."""
    path = Path(spec)
    if not (path.suffix.lower() in schema.YAML_SUFFIXES + schema.XLSX_SUFFIXES or path.exists()):
        if not _FRAMEWORK_ID.fullmatch(spec):
            raise _usage_error(f"ไม่พบเกณฑ์ '{spec}' / no framework '{spec}'")
        path = schema.FRAMEWORKS_DIR / f"{spec}.yaml"
        if not path.is_file():
            known = ", ".join(sorted(p.stem for p in schema.FRAMEWORKS_DIR.glob("*.yaml"))) or "—"
            raise _usage_error(f"ไม่พบเกณฑ์ '{spec}' (มี: {known}) / no framework '{spec}' (installed: {known})")
    if not path.is_file():
        raise _usage_error(f"ไม่พบไฟล์ {spec} / no file {spec}")
    try:
        return schema.load_file(path), str(path)
    except OSError as exc:
        raise _usage_error(f"อ่านไฟล์ {path} ไม่ได้ / cannot read {path}: {exc.strerror}") from exc
    except schema.FrameworkError as exc:
        raise _usage_error(f"เกณฑ์ในไฟล์ {path} ไม่ถูกต้อง / the framework in {path} is not valid:\n{exc}") from exc


def find_oit_item(fw: dict, code: str) -> dict:
    try:
        ref = schema.find_item(fw, code.strip())
    except KeyError:
        ref = None
    if ref is None or ref.instrument.get("respondents") != "agency":
        oit = [r.item["code"] for r in schema.iter_items(fw) if r.instrument.get("respondents") == "agency"]
        shown = f"{oit[0]}–{oit[-1]}" if oit else "—"
        raise _usage_error(f"เกณฑ์ {fw.get('id')} ไม่มีข้อ OIT '{code}' (มี {shown}) / "
                           f"framework {fw.get('id')} has no OIT item '{code}' (it has {shown})")
    return ref.item


def parse_fiscal_year(value: str | None, default: int | None) -> int | None:
    if value is None:
        return default
    text = arabic_digits(value.strip())
    if not text.isdigit() or not 2400 <= int(text) <= 2800:
        raise _usage_error(f"ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2568 แต่ได้ '{value}' / "
                           f"--fiscal-year must be a BE year such as 2568, not '{value}'")
    return int(text)


class Command(BaseCommand):
    help = ("Check OIT evidence automatically. / ตรวจหลักฐาน OIT อัตโนมัติ: "
            "itadesk oit check URL --item o1 [--domain loei.go.th] [--fiscal-year 2568] [--json]")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check}")
        p = sub.add_parser("check", help="fetch one evidence URL and print every finding")
        p.add_argument("url", help="the evidence URL (http or https)")
        p.add_argument("--item", required=True, help="the OIT item code, e.g. o1")
        p.add_argument("--framework", default=DEFAULT_FRAMEWORK,
                       help=f"a shipped framework id or a framework file (default {DEFAULT_FRAMEWORK})")
        p.add_argument("--domain", help="the agency's registered main website, e.g. loei.go.th")
        p.add_argument("--fiscal-year", dest="fiscal_year",
                       help="the round's fiscal year (BE; default: the framework's)")
        p.add_argument("--allow", action="append", default=[], metavar="HOST",
                       help="also allow this private host, address or network (CIDR); repeatable")
        p.add_argument("--timeout", type=float, help="seconds per request (default: ITADESK_CRAWLER_TIMEOUT)")
        p.add_argument("--json", dest="as_json", action="store_true", help="print the report as JSON")

    def handle(self, *args, action, url, item, framework, domain=None, fiscal_year=None, allow=(),
               timeout=None, as_json=False, **options):
        try:
            parse_url(url)
        except BadURL as exc:
            raise _usage_error(f"ลิงก์ไม่ถูกต้อง / bad URL {redact_url(url)!r}: {exc}") from exc
        fw, source = load_framework(framework)
        oit_item = find_oit_item(fw, item)
        year = parse_fiscal_year(fiscal_year, fw.get("fiscal_year"))
        overrides = {"timeout": timeout} if timeout else {}
        try:
            config = CheckerConfig.from_settings(**overrides).with_allow(*parse_allow(allow))
        except ValueError as exc:
            raise _usage_error(f"ค่าที่ให้ไม่ถูกต้อง / bad option: {exc}") from exc
        report = asyncio.run(check_url(url, item=oit_item, main_domain=domain, fiscal_year=year, config=config))
        if as_json:
            payload = {"framework": fw.get("id"), "version": fw.get("version"), **report.to_dict()}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self._print(report, oit_item, fw, domain, year)

    def _print(self, report, item, fw, domain, year):
        fetch = report.fetch
        title = item.get("text_th") or item.get("text_en") or "(ไม่ทราบชื่อข้อ)"
        rule = schema.item_time_rule(item)
        out = self.stdout.write
        out(f"ลิงก์ / URL: {redact_url(fetch.url)}")
        if fetch.final_url and fetch.final_url != fetch.url:
            out(f"ปลายทาง / final: {fetch.final_url}")
        out(f"ข้อ / item: {item['code']} {title} — เกณฑ์ {fw.get('id')} ปีข้อมูล {_TIME_RULE_TH[rule]}"
            + (f", ปีงบประมาณของรอบ {year}" if year else ""))
        if domain:
            out(f"เว็บไซต์หลัก / main domain: {domain}")
        failed = [f for f in report.findings if not f.passed]
        out(f"ผล / result: {len(report.findings) - len(failed)} ผ่าน, {len(failed)} ไม่ผ่าน "
            f"/ {len(report.findings) - len(failed)} passed, {len(failed)} failed")
        out("")
        for finding in report.findings:
            out(f"[{_MARK[finding.passed]}] {finding.code} ({finding.severity})")
            out(f"    {finding.message_th}")
            out(f"    {finding.message_en}")
        out("")
        out("ผลนี้เป็นคำแนะนำของระบบ ผู้ตรวจเป็นผู้ตัดสิน / These findings are advice; the reviewer decides.")
