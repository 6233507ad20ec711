"""A finding: one check's outcome for one piece of OIT evidence, in Thai and English (plain data). No Django."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Finding", "NOT_CHECKED_EN", "NOT_CHECKED_TH", "SEVERITIES"]

SEVERITIES = ("ok", "info", "warning", "error")
NOT_CHECKED_TH = "ระบบตรวจอัตโนมัติเชื่อมต่อไม่ได้ — ยังไม่ได้ตรวจ"
NOT_CHECKED_EN = "The automatic checker could not connect — not checked"


@dataclass(frozen=True)
class Finding:
    """One check's outcome. ``severity``: "ok" when passed, else "info" (worth knowing), "warning"
    (check it) or "error" (an assessor would most likely score the item 0). ``detail`` is JSON-ready."""

    code: str
    passed: bool
    severity: str
    message_th: str
    message_en: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"code": self.code, "passed": self.passed, "severity": self.severity,
                "message_th": self.message_th, "message_en": self.message_en, "detail": dict(self.detail)}


def _ok(code: str, th: str, en: str, **detail) -> Finding:
    return Finding(code, True, "ok", th, en, detail)


def _fail(code: str, severity: str, th: str, en: str, **detail) -> Finding:
    return Finding(code, False, severity, th, en, detail)
