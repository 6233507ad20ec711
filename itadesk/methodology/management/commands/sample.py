"""``itadesk sample --framework ID --internal N --external M``: the minimum number of respondents by
the sample rules of a framework (``sample_rules`` in the file; a rule, not code)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from itadesk.core.thai import arabic_digits
from itadesk.methodology import schema
from itadesk.methodology.management.commands.score import framework_path, installed, read_framework

LABELS = {"internal": ("ผู้มีส่วนได้ส่วนเสียภายใน (IIT)", "internal stakeholders (IIT)"),
          "external": ("ผู้มีส่วนได้ส่วนเสียภายนอก (EIT)", "external stakeholders (EIT)")}


def population(raw: str, option: str) -> int:
    text = arabic_digits(raw.strip()).replace(",", "")
    if not text.isdigit():
        raise CommandError(f"--{option}: '{raw}' ต้องเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป / must be a whole number ≥ 0")
    return int(text)


def describe(rule: dict) -> str:
    parts = []
    if rule.get("all_below") is not None:
        parts.append(f"ทั้งหมดถ้าน้อยกว่า {rule['all_below']} / all if fewer than {rule['all_below']}")
    if rule.get("percent") is not None:
        parts.append(f"ร้อยละ {rule['percent']} / {rule['percent']} %")
    if rule.get("min") is not None:
        parts.append(f"อย่างน้อย {rule['min']} / at least {rule['min']}")
    if rule.get("max") is not None:
        parts.append(f"ไม่เกิน {rule['max']} / at most {rule['max']}")
    return "; ".join(parts) or "—"


class Command(BaseCommand):
    help = ("Minimum IIT/EIT respondents for an agency, by the framework's sample rules. / "
            "จำนวนผู้ตอบแบบวัดขั้นต่ำตามเกณฑ์")

    def add_arguments(self, parser):
        parser.add_argument("--framework", default="nacc-ita-2568",
                            help="installed framework id (id@version), shipped id, or a YAML file (default nacc-ita-2568)")
        parser.add_argument("--internal", help="number of internal stakeholders (staff with ≥ 1 year of service)")
        parser.add_argument("--external", help="number of external stakeholders served")
        parser.add_argument("--json", dest="as_json", action="store_true")

    def handle(self, *args, framework, internal=None, external=None, as_json=False, **options):
        if internal is None and external is None:
            raise CommandError("ระบุ --internal และ/หรือ --external / give --internal and/or --external")
        data = installed(framework) or read_framework(framework_path(framework))
        rules = data.get("sample_rules") or {}
        rows = []
        for kind, raw in (("internal", internal), ("external", external)):
            if raw is None:
                continue
            n = population(raw, kind)
            rule = rules.get(kind)
            if rule is None:
                raise CommandError(f"เกณฑ์ {data['id']} ไม่มีกติกาจำนวนตัวอย่างของ {LABELS[kind][0]} / "
                                   f"{data['id']} has no sample rule for {LABELS[kind][1]}")
            rows.append({"kind": kind, "population": n, "minimum": schema.minimum_sample(rule, n),
                         "rule": describe(rule), "confirmed": bool(rule.get("confirmed"))})
        if as_json:
            self.stdout.write(json.dumps({"framework": data["id"], "version": data["version"], "samples": rows},
                                         ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"เกณฑ์ / framework: {data['id']} v{data['version']}")
        for row in rows:
            th, en = LABELS[row["kind"]]
            self.stdout.write(f"{th} / {en}: {row['population']:,} → ขั้นต่ำ / minimum {row['minimum']:,}"
                              f"  ({row['rule']})")
            if not row["confirmed"]:
                self.stdout.write("  กติกานี้ยังไม่ได้รับการยืนยันจาก ป.ป.ช. / this rule is not confirmed by the NACC")
