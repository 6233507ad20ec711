"""ITAS questionnaire links and QR codes: the link from the ITAS code, PNG/SVG that decode to it, A4
posters and counter cards whose rendered pages decode to it and whose text layer gives back the Thai
agency name and instrument, the per-agency and bulk pages, and ``itadesk qr``."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from itadesk.core.thai import bangkok_datetime
from itadesk.documents import posters, qr, selectors
from itadesk.registry.models import Agency
from tests.documents.imaging import decode, pdf_fonts, pdf_pages, pdf_text, read_png, squeeze

IIT_TH = "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน"
EIT_TH = "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก"


def link(instrument, code):
    return f"https://itas.nacc.go.th/go/{instrument}/{code}"


@pytest.fixture
def coded(world):
    """sao1, sao2 and the PAO have ITAS codes; the provincial office and the district office do not."""
    for agency, code in ((world.sao1, "u4gpi2"), (world.sao2, "k7tq9z"), (world.pao, "p4o001")):
        agency.itas_code = code
        agency.save(update_fields=["itas_code"])
    return world


# ------------------------------------------------------------------------------------------ links, images


def test_itas_url(settings):
    assert qr.itas_url(" u4gpi2 ", "EIT") == link("eit", "u4gpi2")
    assert qr.itas_url("u4gpi2", "iit") == link("iit", "u4gpi2")
    assert qr.itas_url("a b/c?", "iit") == link("iit", "a%20b%2Fc%3F")  # a code never changes the path
    settings.ITADESK_ITAS_QUESTIONNAIRE_URL = "https://itas.example.test/{instrument}?code={code}"
    assert qr.itas_url("X1", "eit") == "https://itas.example.test/eit?code=X1"
    with pytest.raises(ValueError, match="instrument"):
        qr.itas_url("u4gpi2", "oit")
    with pytest.raises(ValueError, match="ITAS code"):
        qr.itas_url("  ", "iit")


@pytest.mark.parametrize("instrument", ["iit", "eit"])
@pytest.mark.parametrize("scale", [1, 4, 12])
def test_png_decodes_to_the_link(instrument, scale):
    url = qr.itas_url("u4gpi2", instrument)
    assert decode(read_png(qr.qr_png(url, scale=scale))) == [url]


def test_svg_is_a_standalone_document():
    svg = qr.qr_svg(link("eit", "u4gpi2"))
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg and "<path" in svg
    assert 'fill="#fff"' in svg  # white background: readable on a dark web page too


# ------------------------------------------------------------------------------------------ posters, cards


def test_poster_decodes_and_reads_back():
    page = posters.page(agency_name="องค์การบริหารส่วนตำบลแก้วเมธี", itas_code="u4gpi2", instrument="iit",
                        fiscal_year=2568, deadline=bangkok_datetime(2568, 6, 30, 17))
    body = posters.poster_pdf([page])
    images = pdf_pages(body)
    assert len(images) == 1 and decode(images[0]) == [link("iit", "u4gpi2")]
    text = pdf_text(body)
    assert "องค์การบริหารส่วนตำบลแก้วเมธี\n" in text and IIT_TH + "\n" in text
    assert "พ.ศ. ๒๕๖๘" in text and link("iit", "u4gpi2") in text
    assert "ที่ปฏิบัติงานในหน่วยงานมาไม่น้อยกว่า๑ปี" in squeeze(text)
    assert "ตอบแบบวัดได้ถึงวันจันทร์ที่๓๐มิถุนายน๒๕๖๘เวลา๑๗.๐๐น." in squeeze(text)
    assert all("Laksaman" in line for line in pdf_fonts(body).splitlines()[2:])


def test_eit_poster_names_the_external_questionnaire():
    page = posters.page(agency_name="เทศบาลตำบลนาดอกคำ", itas_code="k7tq9z", instrument="EIT", fiscal_year=2569)
    text = pdf_text(posters.poster_pdf([page]))
    assert EIT_TH + "\n" in text and "(EIT)" in text and "๒๕๖๙" in text and "ตอบแบบวัดได้ถึง" not in text
    assert "ผู้รับบริการ" in text


def test_cards_four_per_page_with_the_link():
    pages = [posters.page(agency_name=name, itas_code=code, instrument="eit", fiscal_year=2568)
             for name, code in (("เทศบาลตำบลนาดอกคำ", "k7tq9z"), ("องค์การบริหารส่วนตำบลท่าสวรรค์", "abc123"))]
    body = posters.card_pdf(pages)
    images = pdf_pages(body)
    assert len(images) == 2
    assert decode(images[0]) == [link("eit", "k7tq9z")] * 4
    assert decode(images[1]) == [link("eit", "abc123")] * 4
    text = pdf_text(body)
    assert text.count("เทศบาลตำบลนาดอกคำ") == 4 and text.count("องค์การบริหารส่วนตำบลท่าสวรรค์") == 4
    assert text.count(EIT_TH + " (EIT)") == 8


def test_plan_skips_agencies_without_a_code(coded):
    agencies = [coded.provincial, coded.sao1, coded.district_office, coded.sao2]
    plan = posters.plan(agencies, instrument="iit", fiscal_year=2568)
    assert [p["url"] for p in plan.pages] == [link("iit", "u4gpi2"), link("iit", "k7tq9z")]
    assert [a for a, _th, _en in plan.skipped] == [coded.provincial, coded.district_office]
    assert "ไม่มีรหัส ITAS" in plan.skipped[0][1] and "no ITAS code" in plan.skipped[0][2]
    with pytest.raises(ValueError):
        posters.plan(agencies, instrument="xit", fiscal_year=2568)
    with pytest.raises(ValueError):
        posters.poster_pdf([])


# ------------------------------------------------------------------------------------------ pages


def test_agency_page_shows_both_links_and_downloads(coded, client):
    client.force_login(coded.admin_a)
    response = client.get(reverse("documents:agency_qr", args=[coded.sao1.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for instrument in ("iit", "eit"):
        assert f'data-testid="link-{instrument}">{link(instrument, "u4gpi2")}</a>' in html
        for name in ("poster.pdf", "card.pdf", "qr.png", "qr.svg"):
            assert reverse("documents:agency_download", args=[coded.sao1.pk, instrument, name]) in html
    assert html.count("<svg") >= 2
    assert "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน" in html or "(IIT)" in html


@pytest.mark.parametrize("instrument", ["iit", "eit"])
def test_agency_downloads(coded, client, instrument):
    client.force_login(coded.exec_a)

    def get(name):
        return client.get(reverse("documents:agency_download", args=[coded.sao1.pk, instrument, name]))

    url = link(instrument, "u4gpi2")
    png = get("qr.png")
    assert png["Content-Type"] == "image/png"
    assert png["Content-Disposition"] == f'attachment; filename="itas-{instrument}-u4gpi2.png"'
    assert decode(read_png(png.content)) == [url]
    svg = get("qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<svg")
    poster = get("poster.pdf")
    assert poster["Content-Type"] == "application/pdf"
    assert decode(pdf_pages(poster.content)[0]) == [url]
    text = pdf_text(poster.content)
    assert "องค์การบริหารส่วนตำบลแก้วเมธี" in text and "๒๕๖๘" in text
    assert "ตอบแบบวัดได้ถึงวันจันทร์ที่๓๐มิถุนายน๒๕๖๘" in squeeze(text)  # the round's IIT/EIT deadline
    card = get("card.pdf")
    assert decode(pdf_pages(card.content)[0]) == [url] * 4
    assert get("other.pdf").status_code == 404
    assert client.get(reverse("documents:agency_download", args=[coded.sao1.pk, "oit", "qr.png"])).status_code == 404


def test_agency_without_code(world, client):
    client.force_login(world.secretariat)
    html = client.get(reverse("documents:agency_qr", args=[world.sao1.pk])).content.decode()
    assert 'data-testid="no-itas-code"' in html and "<svg" not in html
    response = client.get(reverse("documents:agency_download", args=[world.sao1.pk, "iit", "poster.pdf"]),
                          follow=True)
    assert response.redirect_chain[-1][0] == reverse("documents:agency_qr", args=[world.sao1.pk])
    assert "ITAS" in response.content.decode()


def test_agency_page_out_of_scope(coded, client):
    client.force_login(coded.admin_b)
    assert client.get(reverse("documents:agency_qr", args=[coded.sao1.pk])).status_code == 404
    assert client.get(reverse("documents:agency_download", args=[coded.sao1.pk, "iit", "qr.png"])).status_code == 404


def test_bulk_page_lists_skipped_agencies(coded, client):
    client.force_login(coded.secretariat)
    response = client.get(reverse("documents:bulk", args=[coded.round.pk]))
    html = response.content.decode()
    start = html.index('data-testid="skipped"')
    skipped = html[start:html.index("</div>", start)]
    assert "จังหวัดเลย" in skipped and "อำเภอนาด้วง" in skipped and "แก้วเมธี" not in skipped
    assert "3" in html[html.index('data-testid="bulk-counts"'):][:200]
    assert reverse("documents:bulk_download", args=[coded.round.pk, "eit", "poster.pdf"]) in html


def test_bulk_pdf_one_page_per_agency_in_order(coded, client):
    client.force_login(coded.secretariat)
    response = client.get(reverse("documents:bulk_download", args=[coded.round.pk, "eit", "poster.pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Itadesk-Pages"] == "3" and response["X-Itadesk-Skipped"] == "2"
    images = pdf_pages(response.content, dpi=72)
    got = [decode(image) for image in images]
    # registry order: district 4201 (the PAO), then 4202 (the two SAOs, by name in the database's collation)
    order = [a.itas_code for a in selectors.bulk_agencies(coded.round, Agency.objects.all()) if a.itas_code]
    assert order[0] == "p4o001" and sorted(order[1:]) == ["k7tq9z", "u4gpi2"]
    assert got == [[link("eit", code)] for code in order]
    pages = pdf_text(response.content).split("\f")
    assert "องค์การบริหารส่วนจังหวัดเลย" in pages[0]
    names = {"u4gpi2": "แก้วเมธี", "k7tq9z": "ท่าสวรรค์"}
    assert names[order[1]] in pages[1] and names[order[2]] in pages[2]


def test_bulk_of_an_office_and_of_a_kind(coded, client):
    client.force_login(coded.secretariat)
    base = reverse("documents:bulk_download", args=[coded.round.pk, "iit", "card.pdf"])
    response = client.get(base, {"office": coded.local.pk, "kind": "sao"})
    assert response["X-Itadesk-Pages"] == "2"
    assert re.search(r"-local-promotion\.pdf\"$", response["Content-Disposition"])
    # the provincial office's officer sees only the provincial agency, which has no code
    client.force_login(coded.prov_officer)
    response = client.get(base, follow=True)
    assert response.redirect_chain and response.status_code == 200
    assert "ITAS" in response.content.decode()


def test_bulk_is_for_the_secretariat_and_offices(coded, client):
    client.force_login(coded.admin_a)
    assert client.get(reverse("documents:bulk", args=[coded.round.pk])).status_code == 403
    assert client.get(reverse("documents:home")).url == reverse("documents:agency_qr", args=[coded.sao1.pk])
    client.force_login(coded.local_officer)
    assert client.get(reverse("documents:home")).url == reverse("documents:bulk", args=[coded.round.pk])


# ------------------------------------------------------------------------------------------ command line


def run(*args):
    out = io.StringIO()
    call_command("qr", *args, stdout=out)
    return out.getvalue()


def test_cli_png_svg_pdf(coded, tmp_path):
    png = tmp_path / "eit.png"
    assert link("eit", "u4gpi2") in run("--agency", "u4gpi2", "--instrument", "eit", "--out", str(png))
    assert decode(read_png(png.read_bytes())) == [link("eit", "u4gpi2")]
    svg = tmp_path / "iit.svg"
    run("--agency", "u4gpi2", "--instrument", "IIT", "--out", str(svg))
    assert svg.read_text().startswith("<svg")
    poster = tmp_path / "poster.pdf"
    run("--agency", "u4gpi2", "--instrument", "iit", "--out", str(poster))
    assert decode(pdf_pages(poster.read_bytes())[0]) == [link("iit", "u4gpi2")]
    assert "๒๕๖๘" in pdf_text(poster.read_bytes())
    card = tmp_path / "card.pdf"
    run("--agency", "u4gpi2", "--instrument", "iit", "--out", str(card), "--card", "--fiscal-year", "๒๕๖๙")
    assert decode(pdf_pages(card.read_bytes())[0]) == [link("iit", "u4gpi2")] * 4
    assert "๒๕๖๙" in pdf_text(card.read_bytes())


@pytest.mark.parametrize("args, message", [
    (["--agency", "nope00", "--instrument", "eit", "--out", "x.png"], "no agency has ITAS code 'nope00'"),
    (["--agency", "u4gpi2", "--instrument", "oit", "--out", "x.png"], "unknown instrument 'oit'"),
    (["--agency", "u4gpi2", "--instrument", "eit", "--out", "x.jpg"], "unsupported file type '.jpg'"),
    (["--agency", "u4gpi2", "--instrument", "eit", "--out", "x"], "unsupported file type 'x'"),
    (["--agency", "u4gpi2", "--instrument", "eit", "--out", "x.png", "--card"], "--card needs a .pdf"),
    (["--agency", "u4gpi2", "--instrument", "eit", "--out", "x.pdf", "--fiscal-year", "68"], "bad fiscal year"),
])
def test_cli_errors(coded, tmp_path, args, message):
    args = [str(tmp_path / a) if a.startswith("x") else a for a in args]
    with pytest.raises(CommandError, match=re.escape(message)) as exc:
        run(*args)
    assert exc.value.returncode == 2
    assert not list(tmp_path.iterdir())  # nothing written


def test_cli_agency_without_code_is_unknown(world, tmp_path):
    assert not Agency.objects.exclude(itas_code=None).exists()
    with pytest.raises(CommandError, match="ไม่พบหน่วยงานที่มีรหัส ITAS"):
        run("--agency", "", "--instrument", "eit", "--out", str(tmp_path / "x.png"))
