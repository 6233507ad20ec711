"""The demo data: plausible, consistent with the demo progress, some agencies below the minimum, and
loading it twice adds nothing."""

from itadesk.cycles.models import Progress, Status
from itadesk.cycles.selectors import participants
from itadesk.demo import surveys as demo
from itadesk.surveys import selectors
from itadesk.surveys.models import ResponseCount, StakeholderData, StakeholderEvent
from tests.surveys.helpers import AFTER_RESPONSES, with_framework


def test_demo_load_is_consistent_and_idempotent(world):
    w = with_framework(world)
    for agency, stake, resp in [(w.sao1, Status.APPROVED, Status.DONE), (w.sao2, Status.APPROVED, Status.IN_PROGRESS),
                                (w.pao, Status.IN_PROGRESS, Status.IN_PROGRESS),
                                (w.provincial, Status.NOT_STARTED, Status.NOT_STARTED)]:
        Progress.objects.create(milestone=w.m1, agency=agency, status=stake)
        Progress.objects.create(milestone=w.m3, agency=agency, status=resp)
    demo.load(w.round)
    counts = (StakeholderData.objects.count(), StakeholderEvent.objects.count(), ResponseCount.objects.count())
    demo.load(w.round)
    assert (StakeholderData.objects.count(), StakeholderEvent.objects.count(), ResponseCount.objects.count()) == counts

    data = {d.agency_id: d for d in StakeholderData.objects.all()}
    assert set(data) == {w.sao1.pk, w.sao2.pk, w.pao.pk}
    assert data[w.sao1.pk].locked and not data[w.pao.pk].locked
    assert sum(data[w.sao1.pk].internal_breakdown.values()) == data[w.sao1.pk].internal_count
    assert all("[ข้อมูลสาธิต]" in e.reason for e in StakeholderEvent.objects.all())

    fu = selectors.followup(w.round, participants(w.round), now=AFTER_RESPONSES)
    rows = {r.id: r for r in fu.rows}
    assert not any(c.below for c in rows[w.sao1.pk].cells.values())  # done: at the minimum
    assert any(c.below for c in rows[w.sao2.pk].cells.values())  # still collecting: below it
    assert len([p for p in rows[w.sao1.pk].cells["IIT"].trend if p[1] is not None]) == 14
