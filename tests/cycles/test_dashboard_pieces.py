"""The dashboards' body is put together from pieces, each kept under the versions of only the round's data it reads
(cycles.views ``PIECE_READS``; the office's agency table ``TABLE_READS``): a write recomputes only the pieces that
show what it changed, and every piece shows every write that changes it on the very next load — each page after
a write is byte for byte the page computed without any cache."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from itadesk.accounts import access
from itadesk.cycles import selectors, views
from itadesk.cycles import services as cycle_services
from itadesk.cycles.clock import fill_countdowns
from itadesk.cycles.models import Status
from itadesk.evidence import services as evidence_services
from itadesk.evidence import snapshots
from itadesk.evidence.selectors import oit_refs
from itadesk.registry.models import Agency, SupervisingOffice
from itadesk.surveys import selectors as survey_selectors
from itadesk.surveys import services as survey_services
from itadesk.surveys.models import StakeholderData
from tests.evidence.oit_world import fill, setup_oit

BKK = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2025, 1, 20, 10, 0, tzinfo=BKK)  # before every deadline of the world's round
PIECES = ("head", "progress", "followup", "mismatches")


@pytest.fixture
def w(world, monkeypatch):
    monkeypatch.setattr(snapshots, "schedule", lambda ids, reason: None)  # no checker in these tests
    with time_machine.travel(NOW, tick=False):
        yield world


def _pages(w):
    office = reverse("office_agencies", args=[w.round.pk, w.local.pk])
    return {
        "round_dashboard": (w.secretariat, reverse("round_dashboard", args=[w.round.pk])),
        "office_dashboard": (w.local_officer, reverse("office_dashboard", args=[w.round.pk, w.local.pk])),
        "office_agencies": (w.local_officer, office + "?part=table"),
    }


def _html(client, who, url) -> str:
    client.force_login(who)
    response = client.get(url)
    assert response.status_code == 200
    # what differs between two renderings of one page: the CSRF token's mask and the CSP nonce
    return re.sub(r'(value|nonce)="[A-Za-z0-9+/=_-]{20,}"', "", response.content.decode())


class Loads:
    """The three pages loaded through the page cache, each piece's hits and misses counted."""

    def __init__(self, w, client, settings, page_cache_counts):
        self.w, self.client, self.settings = w, client, settings
        self.pages = _pages(w)
        names = [*self.pages, *(f"{page}:{piece}" for page in ("round_dashboard", "office_dashboard")
                                for piece in PIECES), "office_dashboard:agencies"]
        self.count = {name: page_cache_counts(name) for name in names}
        self.html = {name: _html(client, *page) for name, page in self.pages.items()}
        self.seen = {name: counted() for name, counted in self.count.items()}

    def again(self) -> set[str]:
        """Load the pages again; the names (pages and pieces) computed afresh since the last call. Each page is
        checked against the same page computed without the cache."""
        before = dict(self.html)
        self.html = {name: _html(self.client, *page) for name, page in self.pages.items()}
        self.settings.ITADESK_PAGE_CACHE = False
        try:
            for name, page in self.pages.items():
                assert self.html[name] == _html(self.client, *page), f"{name}: not what it shows computed afresh"
        finally:
            self.settings.ITADESK_PAGE_CACHE = True
        missed = set()
        for name, counted in self.count.items():
            now = counted()
            if now[1] > self.seen[name][1]:
                missed.add(name)
            self.seen[name] = now
        self.changed = {name for name in self.pages if self.html[name] != before[name]}
        return missed


@pytest.fixture
def loads(w, client, settings, page_cache_counts):
    return lambda: Loads(w, client, settings, page_cache_counts)


def _recomputed(pieces, pages=("round_dashboard", "office_dashboard")) -> set[str]:
    return {*pages, *(f"{page}:{piece}" for page in pages for piece in pieces)}


def test_a_stakeholder_save_recomputes_the_follow_up_and_the_checks_only(w, loads):
    cycle_services.set_progress(actor=w.admin_a, agency=w.sao1, milestone=w.m1, status=Status.DONE)
    pages = loads()
    survey_services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=12,
                                      external_people=30)  # progress marked done by hand: left as it is
    assert pages.again() == _recomputed(["followup", "mismatches"])
    assert pages.changed == {"round_dashboard", "office_dashboard"}  # one agency's data waiting for approval
    assert pages.again() == set()


def test_stakeholder_data_approved_reaches_the_follow_up_and_the_checks(w, loads):
    survey_services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=12,
                                      external_people=30)  # progress: in progress
    pages = loads()
    data = StakeholderData.objects.get(round=w.round, agency=w.sao1)
    data.state = StakeholderData.State.APPROVED  # approved here, not declared done: a mismatch
    data.save()
    assert pages.again() == _recomputed(["followup", "mismatches"])
    assert pages.changed == {"round_dashboard", "office_dashboard"}
    assert 'data-testid="mismatch-count">1<' in pages.html["office_dashboard"]


def test_a_response_count_recomputes_the_follow_up_and_the_checks_only(w, loads):
    """IIT/EIT response counts are entered by every agency through the collection weeks: one recomputes the pieces
    that read them (the follow-up and the checks), not every cached page (it bumped "global" once)."""
    code = survey_selectors.instruments(w.round)[0].code
    pages = loads()
    for n in (3, 4):  # a count, then a correction of the same day
        survey_services.record_responses(actor=w.admin_a, round=w.round, agency=w.sao1, on_date=NOW.date(),
                                         counts={code: n})
        # (each page is also checked against the page computed without the cache: ``Loads.again``)
        assert pages.again() == _recomputed(["followup", "mismatches"])
    assert pages.again() == set()


def test_progress_recomputes_the_milestones_the_checks_and_the_agency_table(w, loads):
    survey_services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=12,
                                      external_people=30)
    StakeholderData.objects.filter(round=w.round, agency=w.sao1).update(state=StakeholderData.State.APPROVED)
    pages = loads()
    assert 'data-testid="mismatch-count">1<' in pages.html["office_dashboard"]
    cycle_services.set_progress(actor=w.admin_a, agency=w.sao1, milestone=w.m1, status=Status.DONE)
    assert pages.again() == _recomputed(["progress", "mismatches"]) | {"office_agencies"}
    assert pages.changed == set(pages.pages)  # counts, the mismatch gone, the table's cell
    assert 'data-testid="mismatch-count">0<' in pages.html["office_dashboard"]


def test_items_leaving_their_draft_recompute_the_checks_only(w, loads):
    setup_oit(w)
    codes = [ref.item["code"] for ref in oit_refs(w.round)]
    for code in codes:
        fill(w, code, urls=(f"https://kaewmethee.go.th/{code}",))
    pages = loads()
    evidence_services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=codes)
    assert pages.again() == _recomputed(["mismatches"])
    assert pages.changed == {"round_dashboard", "office_dashboard"}  # every item approved, OIT not declared
    assert 'data-testid="mismatch-count">1<' in pages.html["round_dashboard"]


def test_a_write_outside_the_round_s_busy_tables_recomputes_every_piece(w, loads):
    pages = loads()
    w.sao2.name_th = "องค์การบริหารส่วนตำบลท่าสวรรค์ใหม่"
    w.sao2.save()
    everything = _recomputed(PIECES) | {"office_dashboard:agencies", "office_agencies"}
    assert pages.again() == everything
    assert "ท่าสวรรค์ใหม่" in pages.html["office_agencies"]


# The dashboards' body as one template rendered it before it was put together from pieces (the templates of
# cb48f58, the mismatch table then included at the end of surveys/partials/dashboard.html).
OLD_BODIES = {
    "office_dashboard": '{% load i18n dashboard %}{# The part of the page computed from the round\'s data, cached by cycles.views._dashboard_body. #}\n{% load people_tags %}{% reminder_reach round office %}\n{% include "cycles/partials/filters.html" %}\n{% include "cycles/partials/milestones.html" %}\n{% include "cycles/partials/late_lists.html" %}\n{% include "surveys/partials/dashboard.html" %}{% include "surveys/partials/mismatches.html" %}\n\n<section id="my-agencies">\n  <h2 class="h5">{% translate "My agencies" %} <span class="badge text-bg-secondary">{{ rows|length }}</span></h2>\n  {# The table is loaded when the person scrolls to it (cycles/dashboard.js); without JavaScript, the link. #}\n  <div data-load="{{ table_url }}{% if "?" in table_url %}&amp;{% else %}?{% endif %}part=table" data-testid="agency-table-slot">\n    <a href="{{ table_url }}" data-testid="agency-table-link">{% translate "Show each agency\'s progress per milestone" %}</a>\n  </div>\n</section>\n',
    "round_dashboard": '{% load i18n %}{# The part of the page computed from the round\'s data, cached by cycles.views._dashboard_body. #}\n{% load people_tags %}{% reminder_reach round %}\n{% include "cycles/partials/filters.html" %}\n{% include "cycles/partials/milestones.html" %}\n<section class="mb-4">\n  <h2 class="h5">{% translate "Supervising offices" %}</h2>\n  <div class="d-flex flex-wrap gap-2">{% for o in offices %}<a class="btn btn-sm btn-outline-primary" href="{% url \'office_dashboard\' round.pk o.pk %}">{{ o }}</a>{% endfor %}</div>\n</section>\n{% include "cycles/partials/late_lists.html" %}\n{% include "surveys/partials/dashboard.html" %}{% include "surveys/partials/mismatches.html" %}\n\n',
}


def _old_body(w, name, user, query=""):
    """The body the single template rendered, with the context the view gave it then."""
    request = RequestFactory().get("/" + query)
    request.user = user
    now = timezone.now()
    round = w.round
    f = views._filters(request, round)
    office = w.local if name == "office_dashboard" else None
    agencies = Agency.objects.filter(office.agency_q()) if office else None
    rows = selectors.participants(round, agencies, kind=f["kind"], district_id=f["district_id"])
    stats = selectors.round_dashboard(round, agencies, kind=f["kind"], district_id=f["district_id"], rows=rows,
                                      now=now, group_by_office=office is None)
    page = reverse("surveys:followup", args=[round.pk]) + (f"?office={office.pk}" if office else "")
    export = (reverse("surveys:export_office", args=[round.pk, office.pk]) if office
              else reverse("surveys:export_province", args=[round.pk]))
    follow = views._Followup(request, round, lambda: rows, page=page, export=export,
                             may_see_page=access.can(user, "view_followup", round), now=now)
    context = {"round": round, "stats": stats, "filters": f, "agency_url": views._agency_url(round),
               **follow.block(), **follow.mismatches()}
    if office:
        context.update(office=office, rows=rows,
                       table_url=reverse("office_agencies", args=[round.pk, office.pk]) + views._query(request))
    else:
        context["offices"] = SupervisingOffice.objects.filter(province_id=round.province_id)
    html = engines["django"].from_string(OLD_BODIES[name]).render(context, request)
    return fill_countdowns(html, now)


@pytest.mark.parametrize("query", ["", "?kind=sao", "?sort=days", "?kind=sao&sort=days"])
def test_the_body_is_byte_for_byte_what_the_single_template_rendered(w, client, query):
    survey_services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=12,
                                      external_people=30)
    StakeholderData.objects.filter(round=w.round, agency=w.sao1).update(state=StakeholderData.State.APPROVED)
    cycle_services.set_progress(actor=w.admin_a, agency=w.pao, milestone=w.m1, status=Status.DONE)
    with time_machine.travel(dt.datetime(2025, 2, 15, 9, 0, tzinfo=BKK), tick=False):  # the first deadline passed
        for name, (who, url) in list(_pages(w).items())[:2]:
            old = _old_body(w, name, who, query)
            assert 'data-testid="late-stakeholders"' in old and 'data-testid="mismatch-count">1<' in old
            for _ in range(2):  # computed, then from the cache
                client.force_login(who)
                assert old in client.get(url + query).content.decode(), name


def test_the_participants_are_read_once_per_version_of_global(w, client, monkeypatch):
    """A dashboard's participants come from tables under "global" only: a write of deadline day that makes the
    pieces compute again does not read them again, and a write outside the busy tables (an agency renamed) is
    seen on the next load."""
    reads = []
    real = selectors.participants
    monkeypatch.setattr(selectors, "participants", lambda *a, **k: reads.append(1) or real(*a, **k))
    who, url = _pages(w)["office_dashboard"]
    before = _html(client, who, url)
    assert len(reads) == 1
    survey_services.save_stakeholders(actor=w.admin_a, round=w.round, agency=w.sao1, internal_count=12,
                                      external_people=30)
    assert _html(client, who, url) != before  # the follow-up and the checks computed again …
    assert len(reads) == 1  # … from the participants kept
    w.sao2.name_th = "องค์การบริหารส่วนตำบลท่าสวรรค์ใหม่"
    w.sao2.save()
    assert "ท่าสวรรค์ใหม่" in _html(client, *_pages(w)["office_agencies"])
    assert len(reads) == 2


def test_the_participants_kept_are_those_of_the_language_and_the_filters(w, client):
    who, url = _pages(w)["office_agencies"]
    client.cookies["django_language"] = "th"
    assert "องค์การบริหารส่วนตำบล" in _html(client, who, url)
    client.cookies["django_language"] = "en"
    english = _html(client, who, url)
    assert "Sub-district administrative organization" in english
    assert w.pao.name_th in english
    assert w.pao.name_th not in _html(client, who, url + "&kind=sao")
