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
