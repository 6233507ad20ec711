"""The rows of an item's history and snapshots on the item and review pages (``evidence_tags.history_rows`` and
``snapshot_rows``, built without a template loop): the same markup, to the byte, as the template loops they
replaced, for any event or snapshot (any text, states and reasons known or not, dates of any year, with and
without a time, in Thai and in English); and the pages show them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from itadesk.evidence import services
from itadesk.evidence.models import EvidenceEvent, EvidenceItem, Snapshot, State
from itadesk.evidence.templatetags.evidence_tags import history_rows, snapshot_rows
from itadesk.evidence.workflow import Action
from tests.evidence.oit_world import FakeFetched, fill, setup_oit

# The loops of evidence/partials/events.html and snapshots.html before the tags, as they were.
HISTORY_LOOP = Template("""{% load evidence_tags %}{% for e in history %}<tr>
      <td class="text-nowrap">{{ e.at|bedate }}</td><td>{{ e.actor_label|default:"—" }}</td>
      <td>{{ e.action|action_label }}</td>
      <td class="text-nowrap">{% if e.from_state != e.to_state %}{{ e.get_from_state_display }} → {% endif %}\
<strong>{{ e.get_to_state_display }}</strong></td>
      <td>{{ e.comment|linebreaksbr }}</td>
    </tr>{% endfor %}""")
SNAPSHOT_LOOP = Template("""{% for s in snapshots %}<tr>
      <td class="text-nowrap"><a href="{% url 'evidence:snapshot' round.pk agency.pk s.pk %}">\
{{ s.taken_at|bedate }}</a></td>
      <td>{{ s.get_reason_display }}</td>
      <td class="text-break">{{ s.url }}</td>
      <td>{% if s.error %}<span class="text-danger">{{ s.error|truncatechars:80 }}</span>{% elif s.ok %}\
<span class="text-success">HTTP {{ s.status_code }}</span>{% else %}<span class="text-danger">\
HTTP {{ s.status_code }}</span>{% endif %}</td>
      <td class="text-nowrap">{{ s.size|filesizeformat }}</td>
      <td><code title="{{ s.sha256 }}">{{ s.sha256|slice:":12" }}</code></td>
    </tr>{% endfor %}""")

TEXT = st.lists(st.sampled_from(list("ก่าขบ <>&\"'\n\r\tab=+—ฯ") + ["\r\n"]), max_size=40).map("".join)
STATES = st.sampled_from([*State.values, "", "gone"])
ACTIONS = st.sampled_from([*Action.ALL, "", "someday"])
WHEN = st.one_of(st.none(), st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1),
                                         timezones=st.just(dt.UTC)))
LANGS = st.sampled_from(["th", "en"])


class Round:
    pk = 3


class Agency:
    pk = 41


def events():
    return st.lists(st.builds(
        lambda pk, at, who, action, a, b, comment: EvidenceEvent(
            pk=pk, item_id=1, at=at, actor_label=who, action=action, from_state=a, to_state=b, comment=comment),
        st.integers(1, 10**9), WHEN, TEXT, ACTIONS, STATES, STATES, TEXT), max_size=6)


def snapshots():
    return st.lists(st.builds(
        lambda pk, at, url, reason, status, size, sha, error: Snapshot(
            pk=pk, item_id=1, taken_at=at, url=url, reason=reason, status_code=status, size=size, sha256=sha,
            error=error),
        st.integers(1, 10**9), WHEN, TEXT, st.sampled_from([*Snapshot.Reason.values, "", "later"]),
        st.one_of(st.none(), st.integers(100, 599)), st.one_of(st.none(), st.integers(0, 10**12)),
        st.text("0123456789abcdef<&\"", max_size=64), st.one_of(st.just(""), TEXT,
                                                               st.text("ก<&x ", min_size=75, max_size=90))),
        max_size=5)


@settings(max_examples=300, deadline=None)
@given(events(), LANGS)
def test_history_rows_are_the_loops_markup_to_the_byte(history, lang):
    with translation.override(lang):
        assert history_rows(history) == HISTORY_LOOP.render(Context({"history": history}))


@settings(max_examples=300, deadline=None)
@given(snapshots(), LANGS)
def test_snapshot_rows_are_the_loops_markup_to_the_byte(shots, lang):
    with translation.override(lang):
        context = {"snapshots": shots, "round": Round, "agency": Agency}
        assert snapshot_rows(shots, Round, Agency) == SNAPSHOT_LOOP.render(Context(context))


def test_nothing_to_show_is_no_rows():
    assert history_rows([]) == "" and snapshot_rows([], Round, Agency) == ""


@pytest.mark.django_db
def test_the_item_and_review_pages_show_the_history_and_snapshots(world, client):
    w = world
    setup_oit(w)
    fill(w, "o1", urls=("https://kaewmethee.go.th/o1",), explanation="<b>x</b>")
    services.approve_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    services.submit_items(actor=w.exec_a, round=w.round, agency=w.sao1, items=["o1"])
    item = EvidenceItem.objects.get(agency=w.sao1, item_code="o1")
    services.record_check(item, item.urls[0], FakeFetched(final_url=item.urls[0]), [])
    services.review_item(actor=w.reviewer, item=item, decisions={"o1.1": ("met", ""), "o1.2": ("not_met", "")},
                         outcome="return", comment="แก้ <script>x</script>\nบรรทัดสอง")
    shot = Snapshot.objects.filter(item=item).latest("taken_at")
    for user, name in ((w.admin_a, "item"), (w.reviewer, "review")):
        client.force_login(user)
        response = client.get(reverse(f"evidence:{name}", args=[w.round.pk, w.sao1.pk, "o1"]))
        assert response.status_code == 200
        tree = LexborHTMLParser(response.content.decode())
        rows = tree.css('[data-testid="history"] tbody tr')
        assert len(rows) == EvidenceEvent.objects.filter(item=item).count() >= 4
        newest = [td.text(deep=True).strip() for td in rows[0].css("td")]
        assert newest[1:] == ["reviewer", "ส่งกลับให้แก้ไข", "ส่งตรวจแล้ว รอผลการตรวจ → ส่งกลับให้แก้ไข",
                              "แก้ <script>x</script>บรรทัดสอง"]
        assert rows[0].css("td")[4].css("br") and not tree.css('[data-testid="history"] script')
        links = [a.attributes["href"] for a in tree.css('[data-testid="snapshots"] tbody a')]
        assert reverse("evidence:snapshot", args=[w.round.pk, w.sao1.pk, shot.pk]) in links
