"""Browser (Debian Chromium): an agency admin opens the QR page, the QR code on the screen decodes to
the agency's ITAS link, and the poster downloaded from the page decodes to it too."""

import numpy as np
import pytest

from tests.documents.imaging import decode, pdf_pages, read_png
from tests.e2e.test_progress_flow import login
from tests.world import build_world

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_world(transactional_db):
    w = build_world()
    w.sao1.itas_code = "u4gpi2"
    w.sao1.save()
    return w


def test_agency_admin_prints_the_poster(live_world, live_server, browser, tmp_path):
    base = live_server.url
    page = browser.new_context(locale="th-TH").new_page()
    login(page, base, "admin-a")
    page.goto(f"{base}/documents/qr/")
    card = page.get_by_test_id("instrument-eit")
    shot = read_png(card.locator("svg").screenshot())
    gray = shot if shot.ndim == 2 else np.asarray(shot.mean(axis=2), dtype=np.uint8)
    assert decode(gray) == ["https://itas.nacc.go.th/go/eit/u4gpi2"]
    with page.expect_download() as info:
        card.get_by_role("link", name="PDF").first.click()
    path = tmp_path / "poster.pdf"
    info.value.save_as(path)
    assert info.value.suggested_filename == "itas-eit-u4gpi2-poster.pdf"
    assert decode(pdf_pages(path.read_bytes())[0]) == ["https://itas.nacc.go.th/go/eit/u4gpi2"]
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)


@pytest.fixture
def seed_world(transactional_db):
    from tests.documents.official_helpers import load_seed

    w = build_world()
    w.meeting, w.letter = load_seed(w)
    return w


def test_secretariat_sends_the_minutes_with_a_numbered_letter(seed_world, live_server, browser, tmp_path):
    from tests.documents.imaging import pdf_text, squeeze

    base = live_server.url
    page = browser.new_context(locale="th-TH").new_page()
    login(page, base, "secretariat")
    page.goto(f"{base}/committee/meetings/{seed_world.meeting.pk}/")
    documents = page.get_by_test_id("meeting-documents")
    with page.expect_download() as info:
        documents.get_by_test_id("meeting-minutes-docx").click()
    assert info.value.suggested_filename == "minutes-2567-12-24.docx"  # the meeting date, Buddhist era
    documents.get_by_test_id("meeting-minutes-letter").click()
    form = page.get_by_test_id("letter-form")
    assert "นายดิษพล บุตรดีวงศ์" in form.locator("textarea[name=recipients_text]").input_value()
    form.locator("input[name=urgency]").fill("ด่วนที่สุด")
    form.get_by_test_id("save").click()
    assert page.get_by_test_id("letter-status").inner_text().strip() in ("ร่าง", "Draft")
    page.get_by_test_id("issue").click()
    number = page.get_by_test_id("letter-number").inner_text().strip()
    assert number.startswith("ที่ ลย ๐๐๑๗.๕/ว ")
    with page.expect_download() as info:
        page.get_by_test_id("download-package").click()
    path = tmp_path / "letter.pdf"
    info.value.save_as(path)
    text = pdf_text(path.read_bytes())
    assert number in text and "ด่วนที่สุด" in text and "บัญชีส่งหนังสือ" in text
    assert squeeze("ผู้ตรวจรายงานการประชุม") in squeeze(text)
    page.screenshot(path=str(tmp_path / "letter.png"), full_page=True)
