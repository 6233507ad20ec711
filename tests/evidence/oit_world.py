"""The OIT side of the test world: the NACC-shaped test framework (tests/methodology/frameworks.py)
with required elements on o1 and o3 and an unknown title on o2, set as the round's framework; and
small helpers that drive an item through the workflow."""

from __future__ import annotations

from dataclasses import dataclass

from itadesk.evidence import services
from itadesk.methodology.services import install_framework, set_round_framework
from tests.methodology.frameworks import nacc_shaped

O1 = "{code: o1, text_th: โครงสร้าง, text_status: paraphrase, scale: evidence, data_year: current}"
O2 = "{code: o2, text_th: ข้อมูลผู้บริหาร, text_status: paraphrase, scale: evidence, data_year: current}"
O3 = "{code: o3, text_th: แผนป้องกันการทุจริต, text_status: paraphrase, scale: evidence, data_year: current}"


def oit_framework_text(code: str = "test-oit") -> str:
    text = nacc_shaped(code=code, fiscal_year=2568)
    for old, new in [
        (O1, "{code: o1, text_th: โครงสร้าง, text_status: paraphrase, scale: evidence, data_year: current, "
             "elements: [{code: o1.1, text_th: แผนผังโครงสร้างองค์กร, keywords: [โครงสร้าง]}, "
             "{code: o1.2, text_th: อำนาจหน้าที่, keywords: [อำนาจหน้าที่]}]}"),
        (O2, "{code: o2, text_th: null, text_status: unknown, scale: evidence, data_year: current}"),
        (O3, "{code: o3, text_th: แผนป้องกันการทุจริต, text_status: paraphrase, scale: evidence, data_year: current, "
             "elements: [{code: o3.1, text_th: แผนปฏิบัติการป้องกันการทุจริตประจำปี}]}"),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    return text


def setup_oit(w):
    fw, _ = install_framework(actor=None, text=oit_framework_text())
    set_round_framework(actor=None, round=w.round, framework=fw)
    w.round.refresh_from_db()
    return fw


URL = "https://kaewmethee.go.th/structure"


def fill(w, code="o1", *, actor=None, urls=(URL,), answer="has", explanation="เมนูเกี่ยวกับเรา"):
    item, _ = services.save_item(actor=actor or w.admin_a, round=w.round, agency=w.sao1, item_code=code,
                                 answer=answer, urls=list(urls), explanation=explanation)
    return item


def to_submitted(w, codes=("o1",)):
    for code in codes:
        fill(w, code, urls=(f"{URL}/{code}",))
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=list(codes))
    return services.submit_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=list(codes))


def decide_all(item, decision="met"):
    codes = {"o1": ["o1.1", "o1.2"], "o3": ["o3.1"]}.get(item.item_code, [])
    return {c: (decision, "") for c in codes}


@dataclass
class FakeFetched:
    final_url: str
    status: int | None = 200
    content_type: str = "text/html; charset=utf-8"
    body: bytes | None = b"<html><body>\xe0\xb9\x82\xe0\xb8\x84\xe0\xb8\xa3\xe0\xb8\x87\xe0\xb8\xaa\xe0\xb8\xa3\xe0\xb9\x89\xe0\xb8\xb2\xe0\xb8\x87</body></html>"
    text: str = "โครงสร้าง"
    error: str = ""


class FakeFetch:
    """A ``fetch(urls)`` that records what it was asked and answers from a table (default: 200 OK)."""

    def __init__(self, answers: dict | None = None):
        self.answers = answers or {}
        self.calls: list[list[str]] = []

    def __call__(self, urls):
        self.calls.append(list(urls))
        return [self.answers.get(u) or FakeFetched(final_url=u) for u in urls]

    def check_pairs(self, pairs):
        """Stands in for ``checking.check_pairs`` (the real checker) in the background jobs."""
        results = self([url for _item, url in pairs])
        return [((item.pk, url), r) for (item, url), r in zip(pairs, results, strict=True)]
