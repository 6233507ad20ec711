"""Find the agency a person meant in a spreadsheet cell: its ITAS code, its DLA code (Thai digits
accepted) or its exact Thai name (compared with ``text_key``: case, spaces and ``ํา``/``ำ`` folded)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from itadesk.core.tabular import text_key
from itadesk.core.thai import arabic_digits
from itadesk.registry.models import Agency


class AgencyLookup:
    def __init__(self, agencies: Iterable[Agency]):
        self.by_code: dict[str, Agency] = {}
        self.by_name: dict[str, list[Agency]] = defaultdict(list)
        for agency in agencies:
            for code in (agency.itas_code, agency.dla_code):
                if code:
                    self.by_code.setdefault(code, agency)
            self.by_name[text_key(agency.name_th)].append(agency)

    def find(self, raw: str) -> tuple[Agency | None, tuple[str, str] | None]:
        """(agency, None) or (None, (Thai message, English message)) for a cell's text."""
        raw = raw.strip()
        if not raw:
            return None, ("ต้องระบุหน่วยงาน", "the agency is required")
        agency = self.by_code.get(arabic_digits(raw))
        if agency is not None:
            return agency, None
        named = self.by_name.get(text_key(raw), [])
        if len(named) > 1:
            return None, (f"มีหน่วยงานชื่อ '{raw}' มากกว่าหนึ่งแห่ง กรุณาใช้รหัส ITAS หรือรหัส อปท.",
                          f"more than one agency is called '{raw}'; use its ITAS or DLA code")
        if named:
            return named[0], None
        return None, (f"ไม่พบหน่วยงาน '{raw}' (ใช้รหัส ITAS รหัส อปท. หรือชื่อหน่วยงานตามทะเบียน)",
                      f"unknown agency '{raw}' (give its ITAS code, DLA code or exact Thai name)")
