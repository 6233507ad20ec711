"""The checker's measured accuracy on the labelled set (tests/evidence/accuracy/, served over real HTTP on
127.0.0.1) stays at or above the figures recorded in docs/evidence-checker.md: at least 95 % of the
defects caught, at most 5 % false alarms, and no finding code worse than recorded."""

from __future__ import annotations

import pytest

from itadesk.methodology import schema
from tests.evidence.accuracy import corpus
from tests.evidence.accuracy.measure import measure

# Recorded figures (docs/evidence-checker.md, "Measured accuracy"): update them only upwards.
RECORDED_CAUGHT = 1.0          # 63 / 63
# 1 / 153: a held-out procurement table whose only years are contract numbers "12/2568"
RECORDED_FALSE_ALARMS = 1 / 153
RECORDED_PER_CODE = {           # code: (defects caught at least, false alarms at most)
    "elements": (1.0, 0), "empty": (1.0, 0), "fiscal_year": (1.0, 1), "home_page": (1.0, 0),
    "http_error": (1.0, 0), "no_text_layer": (1.0, 0), "off_domain": (1.0, 0), "off_domain_links": (1.0, 0),
}


@pytest.fixture(scope="module")
def figures():
    return measure()


def test_the_set_is_large_and_covers_every_shape():
    cases, pages = corpus.build()
    assert len(cases) >= 150
    tags = {t for c in cases for t in c.tags}
    assert {"good", "html", "tis620", "english", "pdf", "data_page", "held_out", "wrong_year", "short_dates", "footer_year",
            "off_site", "home", "redirect_home", "404", "soft_404", "placeholder", "scanned", "element",
            "drive_links"} <= tags
    assert len({c.id for c in cases}) == len(cases)
    assert all((c.host, c.path) in pages or (c.host, c.path.split("?")[0]) in pages for c in cases)
    assert sum(c.good for c in cases) >= 100 and sum(not c.good for c in cases) >= 50
    executives = [c for c in cases if "executives" in c.tags]
    assert {c.framework for c in executives} == {"nacc-ita-2570"} and {c.fy for c in executives} == {2570}
    assert sum(c.good for c in executives) >= 12 and sum(not c.good for c in executives) >= 6


def test_the_2570_executives_item_finds_the_photo_with_person_photo():
    fw = schema.load_file(schema.FRAMEWORKS_DIR / "nacc-ita-2570.yaml")
    photo = next(e for e in schema.find_item(fw, "o2").item["elements"] if e["code"] == "o2.3")
    assert photo["detect"] == ["person_photo"] and not photo.get("keywords")  # the word รูปถ่าย is not a photo


def test_overall_figures_do_not_get_worse(figures):
    misses = [f"{o.case.id}: {o.messages}" for o in figures.outcomes
              if (not o.case.good and not o.caught) or o.false_alarm]
    assert figures.caught_rate >= RECORDED_CAUGHT, misses
    assert figures.false_alarm_rate <= RECORDED_FALSE_ALARMS + 1e-9, misses
    assert figures.caught_rate >= 0.95 and figures.false_alarm_rate <= 0.05


def test_per_code_figures_do_not_get_worse(figures):
    for code, (caught, false_alarms) in RECORDED_PER_CODE.items():
        entry = figures.per_code.get(code, {})
        if entry.get("defects"):
            assert entry["caught"] / entry["defects"] >= caught, code
        assert entry.get("false_alarms", 0) <= false_alarms, code
    assert set(figures.per_code) <= set(RECORDED_PER_CODE), "a new code raised alarms: record it"


def test_the_issue_cases_are_clean(figures):
    """The false alarms reported in issue 14: executives with photos as images, contact and
    complaint-channel pages with no year, an English page stating "Fiscal Year 2025"."""
    by_label = {}
    for o in figures.outcomes:
        by_label.setdefault((o.case.item, "english" in o.case.tags), []).append(o)
    for item in ("o2", "o3", "o18"):
        for outcome in by_label[(item, False)]:
            if outcome.case.good and "lazy" not in outcome.case.path:  # lazy-loaded photos: see RECORDED_FALSE_ALARMS
                assert not outcome.alarms, (outcome.case.id, outcome.messages)
    for outcome in figures.outcomes:
        if "executives" in outcome.case.tags and not outcome.case.good:
            assert outcome.caught, (outcome.case.id, outcome.messages)
        elif "executives" in outcome.case.tags and "lazy" not in outcome.case.path:
            assert not outcome.alarms, (outcome.case.id, outcome.messages)
    english_o6 = next(o for o in figures.outcomes if o.case.item == "o6" and "english" in o.case.tags)
    assert not english_o6.alarms, english_o6.messages


def test_the_process_pool_gives_the_same_outcomes(figures):
    """Production runs the rules (and the linked documents) in spawned worker processes."""
    pooled = measure(workers=2)
    assert [(o.case.id, o.alarms) for o in pooled.outcomes] == [(o.case.id, o.alarms) for o in figures.outcomes]
