"""Browser: the top navigation fits on one line at 1280 and 1366 px for every role, and logout stays
reachable (measured with getBoundingClientRect in Debian Chromium, Thai and English)."""

import pytest
from django.conf import settings
from django.test import Client

from tests.world import build_world

pytestmark = pytest.mark.e2e

# Demo-like display names: the longest the demo loads, and longer.
NAMES = {
    "secretariat": ("กลุ่มงานบริหารทรัพยากรบุคคล", "สำนักงานจังหวัดเลย (สาธิต)"),
    "nacc": ("เจ้าหน้าที่", "สำนักงาน ป.ป.ช. ประจำจังหวัดเลย (สาธิต)"),
    "local": ("เจ้าหน้าที่", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดเลย (สาธิต)"),
    "reviewer": ("ผู้ตรวจประเมิน", "ป.ป.ช.จังหวัดเลย (สาธิต)"),
    "admin-a": ("ผู้ดูแลระบบ", "อบต.แก้วเมธี (สาธิต)"),
    "exec-a": ("ผู้บริหาร", "อบต.แก้วเมธี (สาธิต)"),
    "root": ("ผู้ดูแลระบบทั้งหมด", "(สาธิต)"),
}

MEASURE = """() => {
  const nav = document.querySelector('nav.navbar');
  const bar = nav.getBoundingClientRect();
  const items = [...nav.querySelectorAll('.navbar-brand, .nav-link, .navbar-text, form button, a.btn')]
    .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect());
  const logout = [...nav.querySelectorAll('button')].find(b => b.closest('form[action$="/logout/"]'));
  const out = logout ? logout.getBoundingClientRect() : null;
  const hit = out ? document.elementFromPoint(out.x + out.width / 2, out.y + out.height / 2) : null;
  return {
    width: window.innerWidth, scroll: document.documentElement.scrollWidth,
    navRight: bar.right, navHeight: bar.height, navScroll: nav.scrollWidth, navClient: nav.clientWidth,
    maxRight: Math.max(...items.map(r => r.right)),
    overlaps: items.filter((r, i) => items.some((q, j) => j > i && r.left < q.right - 1 && q.left < r.right - 1
      && r.top < q.bottom - 1 && q.top < r.bottom - 1)).length,
    spread: Math.max(...items.map(r => r.top + r.height / 2)) - Math.min(...items.map(r => r.top + r.height / 2)),
    moved: [...document.querySelectorAll('#nav-more .dropdown-item')].map(a => a.textContent.trim()),
    logout: out && {left: out.left, right: out.right, top: out.top, bottom: out.bottom, w: out.width},
    whoami: (document.querySelector('[data-testid="whoami"]') || {getBoundingClientRect: () => ({width: 0})})
      .getBoundingClientRect().width,
    logoutHit: !!(hit && logout && (hit === logout || logout.contains(hit))),
  };
}"""


@pytest.fixture
def cast(transactional_db):
    w = build_world()
    users = [w.secretariat, w.nacc_officer, w.local_officer, w.reviewer, w.admin_a, w.exec_a, w.superuser]
    for user in users:
        user.first_name, user.last_name = NAMES[user.username]
        user.save()
    return users


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.parametrize("lang", ["th", "en"])
def test_navbar_fits_and_logout_is_reachable(cast, live_server, browser, lang):
    problems = []
    for width in (1280, 1366):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        for user in cast:
            context.clear_cookies()
            host = live_server.url.split("//")[1].split(":")[0]
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": _session(user), "domain": host, "path": "/"},
                                 {"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "domain": host, "path": "/"}])
            # Until the page's own requests are done (an office dashboard fetches its agency table when it is in
            # view): the next person's session is written from this thread, and the test database's tables are
            # locked while the server's thread reads them.
            page.goto(live_server.url + "/", wait_until="networkidle")
            m = page.evaluate(MEASURE)
            who = f"{user.username} at {width}px ({lang})"
            if m["scroll"] > width or m["navScroll"] > m["navClient"] or m["maxRight"] > width:
                problems.append(f"{who}: the navigation overflows: {m}")
            if m["overlaps"]:
                problems.append(f"{who}: entries of the navigation overlap: {m}")
            if m["spread"] > 8 or m["navHeight"] > 64:
                problems.append(f"{who}: the navigation wraps onto a second line: {m}")
            if not m["logout"] or m["logout"]["right"] > width or m["logout"]["w"] == 0 or not m["logoutHit"]:
                problems.append(f"{who}: logout is not visible and clickable: {m}")
            if m["whoami"] < 40:
                problems.append(f"{who}: the user's name is squeezed away: {m}")
        context.close()
    assert not problems, "\n".join(problems)


ADD_ENTRIES = """() => {
  const more = document.getElementById('nav-more');
  for (const name of ['Round settings and participants', 'People and invitations', 'Agencies no reminder reaches']) {
    const li = document.createElement('li');
    li.className = 'nav-item';
    li.innerHTML = '<a class="nav-link" href="#">' + name + '</a>';
    more.parentNode.insertBefore(li, more);
  }
  window.dispatchEvent(new Event('resize'));
}"""


def test_entries_that_do_not_fit_move_into_more(cast, live_server, browser):
    """Menu entries added later (by any role's new pages) cannot push logout off the screen."""
    root = cast[-1]
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": _session(root), "domain": host, "path": "/"}])
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.evaluate(ADD_ENTRIES)
    m = page.evaluate(MEASURE)
    assert m["scroll"] <= 1280 and m["navScroll"] <= m["navClient"] and m["spread"] <= 8 and not m["overlaps"], m
    assert m["logoutHit"] and m["logout"]["right"] <= 1280, m
    assert "Agencies no reminder reaches" in m["moved"], m
    page.locator("#nav-more > a").click()
    assert page.get_by_role("link", name="Agencies no reminder reaches").is_visible()
    page.set_viewport_size({"width": 2560, "height": 800})  # room for everything: the entries come back
    page.wait_for_function("document.querySelectorAll('#nav-more .dropdown-item').length === 0")
    assert page.locator("#nav-more").is_hidden()
    context.close()
