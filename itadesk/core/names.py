"""The official forms of a province's and an agency's name, composed in one place.

A province's name may be stored bare ("เลย") or with its title ("จังหวัดเลย"; the agency importer stores
that form); text that adds "จังหวัด" itself printed "จังหวัดจังหวัดเลย". Every document and page composes
the name here instead::

    >>> p = province_names("จังหวัดเลย")
    >>> p.name, p.bare, p.governor, p.office, p.summary
    ('จังหวัดเลย', 'เลย', 'ผู้ว่าราชการจังหวัดเลย', 'สำนักงานจังหวัดเลย', 'ภาพรวมจังหวัดเลย')
    >>> province_names("กรุงเทพมหานคร").governor
    'ผู้ว่าราชการกรุงเทพมหานคร'
    >>> district_name("เมืองเลย"), district_name("อำเภอเมืองเลย")
    ('อำเภอเมืองเลย', 'อำเภอเมืองเลย')
    >>> agency_head("องค์การบริหารส่วนตำบลนาอาน"), agency_head("เทศบาลตำบลนาดอกคำ")
    ('นายกองค์การบริหารส่วนตำบลนาอาน', 'นายกเทศมนตรีตำบลนาดอกคำ')

Pure functions of strings (no database), so templates, PDFs, DOCX files and tests share them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BANGKOK = "กรุงเทพมหานคร"
_PROVINCE_PREFIX = re.compile(r"^\s*(จังหวัด|จ\.)\s*")
_DISTRICT_PREFIX = re.compile(r"^\s*(อำเภอ|อ\.|เขต)\s*")

# Words that a composed name must never hold twice in a row ("จังหวัดจังหวัด"): the test of every document
# of the demonstration checks the printed text with this.
DOUBLED = re.compile(r"(จังหวัด|อำเภอ|ผู้ว่าราชการ|องค์การบริหารส่วน(?:ตำบล|จังหวัด)|เทศบาล(?:ตำบล|เมือง|นคร)?|สำนักงาน"
                     r"|นายก|ตำบล)\s*\1")


@dataclass(frozen=True)
class ProvinceNames:
    bare: str  # เลย
    name: str  # จังหวัดเลย (กรุงเทพมหานคร)

    @property
    def governor(self) -> str:
        """ผู้ว่าราชการจังหวัดเลย: the head who signs the province's letters."""
        return f"ผู้ว่าราชการ{self.name}"

    @property
    def office(self) -> str:
        """สำนักงานจังหวัดเลย."""
        return f"สำนักงาน{self.name}"

    @property
    def summary(self) -> str:
        """ภาพรวมจังหวัดเลย: the province-wide monitoring report."""
        return f"ภาพรวม{self.name}"

    @property
    def of(self) -> str:
        """ของจังหวัดเลย."""
        return f"ของ{self.name}"


def bare_province(name: str) -> str:
    """"จังหวัดเลย", "จ.เลย", "เลย" → "เลย"."""
    return _PROVINCE_PREFIX.sub("", name or "").strip()


def province_names(name: str) -> ProvinceNames:
    bare = bare_province(name)
    if bare in (BANGKOK, "กรุงเทพฯ", "กรุงเทพ"):
        return ProvinceNames(bare=BANGKOK, name=BANGKOK)
    return ProvinceNames(bare=bare, name=f"จังหวัด{bare}" if bare else "")


def district_name(name: str, *, bangkok: bool = False) -> str:
    """"เมืองเลย" or "อำเภอเมืองเลย" → "อำเภอเมืองเลย" (Bangkok: "เขต…")."""
    bare = _DISTRICT_PREFIX.sub("", name or "").strip()
    if not bare:
        return ""
    return ("เขต" if bangkok else "อำเภอ") + bare


def agency_head(agency_name: str) -> str:
    """The head a letter to a local government is addressed to: นายกเทศมนตรีตำบลนาดอกคำ, นายกองค์การบริหารส่วน
    ตำบล…, นายกเมืองพัทยา."""
    name = (agency_name or "").strip()
    if name.startswith("เทศบาล"):
        return "นายกเทศมนตรี" + name.removeprefix("เทศบาล")
    return "นายก" + name


def doubled_words(text: str) -> list[str]:
    """The doubled title words in ``text`` (whitespace ignored), e.g. ["จังหวัดจังหวัด"]."""
    return [m.group(0) for m in DOUBLED.finditer(text or "")]
