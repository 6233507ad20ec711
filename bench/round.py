#!/usr/bin/env python
"""Starting the next round at national scale: the biggest province (372 agencies) and all 77 provinces.

    .venv/bin/python bench/round.py [--provinces 77] [--agencies 8317] [--repeat 5]

Not a test. It builds the national-size set of bench/dashboard.py (77 provinces, 8,317 agencies, one FY2568
round each with three milestones and every agency taking part), adds 23 missions per round (as Loei's
assignment list) and FY2567 results for every agency (so the coaching proposal reads real rows), then times,
as the median of --repeat runs after one warm-up:

* "one province": ``cycles.round_setup.plan_next_round`` + ``create_round`` of FY2570 copied from FY2568 for the
  biggest province (plan with moved deadlines, holiday flags, missions, participants, coaching proposal;
  one transaction with one history event per created object), against the baseline: ``bulk_create`` of the
  same rows (the round, its milestones, missions and participations, and one bare history row per created
  object) in one transaction, nothing else; a second line compares with the domain rows alone (no history);
* "77 provinces": the same for every province, one after the other (each its own transaction), against the
  baseline doing the same ``bulk_create`` per province.

After each run the created FY2570 rounds are deleted (not timed) and FY2568 made current again. Each line
reads ``name: ours X s, baseline Y s, ratio Z``; the script exits 1 if ours and the baseline create different
numbers of rows. Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dashboard  # noqa: E402 (the national-size set and the Django setup of bench/dashboard.py)

GOAL_RATIO = 3.0
GOAL_PROVINCE_SECONDS = 2.0
MISSIONS_PER_ROUND = 23
NEW_YEAR, OLD_YEAR = 2570, 2568


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--provinces", type=int, default=77)
    p.add_argument("--agencies", type=int, default=8317)
    p.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (median; default 5)")
    p.add_argument("--seed", type=int, default=2568)
    return p.parse_args(argv)


def add_missions_and_results(seed: int) -> None:
    from django.db import transaction

    from itadesk.cycles.models import Mission, Round
    from itadesk.methodology import analysis
    from itadesk.methodology import services as methodology
    from itadesk.methodology.models import AssessmentResult, FrameworkVersion
    from itadesk.registry.models import Agency, SupervisingOffice

    rng = random.Random(seed)
    with transaction.atomic():
        methodology.install_shipped()
        fw = FrameworkVersion.objects.get(code="nacc-ita-2567")
        oit = analysis.agency_instrument(fw.data)
        missions = []
        offices = {}
        for o in SupervisingOffice.objects.all():
            offices.setdefault(o.province_id, []).append(o)
        for r in Round.objects.prefetch_related("milestones"):
            ms = list(r.milestones.all())
            for i in range(MISSIONS_PER_ROUND):
                office = offices[r.province_id][i % len(offices[r.province_id])]
                missions.append(Mission(round=r, office=office, order=i + 1, milestone=ms[i % 4] if i % 4 < 3 else None,
                                        text=f"ภารกิจที่ {i + 1}: ติดตามและให้คำแนะนำหน่วยงานในความรับผิดชอบ"))
        Mission.objects.bulk_create(missions, batch_size=5000)
        AssessmentResult.objects.bulk_create([
            AssessmentResult(agency_id=a, fiscal_year=2567, framework=fw, published_total=round(rng.uniform(70, 99), 2),
                             instrument_scores={oit: round(rng.uniform(60, 100), 2)})
            for a in Agency.objects.values_list("pk", flat=True)], batch_size=5000)


def ours(province):
    from itadesk.cycles import round_setup

    plan = round_setup.plan_next_round(province=province, fiscal_year=NEW_YEAR, adopt_coaching=True)
    return round_setup.create_round(actor=None, plan=plan)


def baseline(province, history: bool = False):
    """The same rows with bulk_create: no plan, no checks; with ``history``, also one history row per created
    object (as ours writes), built the plainest way."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from itadesk.core.models import AuditEvent
    from itadesk.core.thai import fiscal_year_bounds
    from itadesk.cycles.models import Milestone, Mission, Participation, Round
    from itadesk.cycles.round_setup import move_deadline

    source = Round.objects.get(province=province, fiscal_year=OLD_YEAR)
    with transaction.atomic():
        starts_on, ends_on = fiscal_year_bounds(NEW_YEAR)
        new = Round.objects.create(province=province, fiscal_year=NEW_YEAR, name=f"ITA {NEW_YEAR}",
                                   starts_on=starts_on, ends_on=ends_on, framework=source.framework)
        old = list(source.milestones.all())
        ms = Milestone.objects.bulk_create([
            Milestone(round=new, code=m.code, name_th=m.name_th, name_en=m.name_en, order=m.order,
                      deadline=move_deadline(m.deadline, NEW_YEAR - OLD_YEAR)[0]) for m in old])
        by_old = {o.pk: n for o, n in zip(old, ms, strict=True)}
        Mission.objects.bulk_create([
            Mission(round=new, office_id=m.office_id, text=m.text, order=m.order, milestone=by_old.get(m.milestone_id))
            for m in source.missions.all()])
        ps = Participation.objects.bulk_create([
            Participation(round=new, agency_id=a) for a in source.participations.values_list("agency_id", flat=True)])
        if history:
            ct = {m: ContentType.objects.get_for_model(m).pk for m in (Round, Milestone, Mission, Participation)}
            AuditEvent.objects.bulk_create([
                AuditEvent(action="create", content_type_id=ct[type(o)], object_id=str(o.pk))
                for o in [new, *ms, *Mission.objects.filter(round=new).only("pk"), *ps]], batch_size=1000)
    return new


def counts():
    from itadesk.cycles.models import Milestone, Mission, Participation, Round

    f = {"round__fiscal_year": NEW_YEAR}
    return (Round.objects.filter(fiscal_year=NEW_YEAR).count(), Milestone.objects.filter(**f).count(),
            Mission.objects.filter(**f).count(), Participation.objects.filter(**f).count())


def reset():
    from itadesk.cycles.models import Round

    Round.objects.filter(fiscal_year=NEW_YEAR).delete()
    Round.objects.filter(fiscal_year=OLD_YEAR).update(is_current=True)


def timed(fn, repeat):
    fn()
    reset()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        reset()
    return times


def main(argv=None) -> int:
    args = parse_args(argv)
    tmp = dashboard.setup_django()
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)


def run(args) -> int:
    from django.core.management import call_command
    from django.db import connection

    from itadesk.core.thai import bangkok_datetime
    from itadesk.registry.models import Province

    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0, interactive=False)
    t0 = time.perf_counter()
    w = dashboard.build(args, bangkok_datetime(*dashboard.NOW_ARGS))
    add_missions_and_results(args.seed)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"build: {time.perf_counter() - t0:.1f} s — {args.provinces} provinces, {args.agencies} agencies, "
          f"{MISSIONS_PER_ROUND} missions per round; biggest province {w['province'].code} with {w['size']} agencies")
    provinces = list(Province.objects.order_by("code"))
    ok = True

    ours(w["province"])
    ours_rows = counts()
    reset()
    baseline(w["province"])
    base_rows = counts()
    reset()
    if ours_rows != base_rows:
        print(f"MISMATCH one province: ours {ours_rows}, baseline {base_rows}")
        ok = False
    print(f"rows per province run (rounds, milestones, missions, participations): {ours_rows}")

    results = {}
    for name, o, b, h, repeat in (
            ("one province", lambda: ours(w["province"]), lambda: baseline(w["province"]),
             lambda: baseline(w["province"], history=True), args.repeat),
            ("77 provinces", lambda: [ours(p) for p in provinces], lambda: [baseline(p) for p in provinces],
             lambda: [baseline(p, history=True) for p in provinces], max(1, args.repeat // 2))):
        t_o, t_b, t_h = timed(o, repeat), timed(b, repeat), timed(h, repeat)
        mo, mb, mh = statistics.median(t_o), statistics.median(t_b), statistics.median(t_h)
        results[name] = (mo, mh)
        print(f"{name}: ours {mo:.3f} s, baseline {mh:.3f} s, ratio {mo / mh:.1f}  "
              f"(baseline = the same rows, history rows included)")
        print(f"{name} (domain rows only): ours {mo:.3f} s, baseline {mb:.3f} s, ratio {mo / mb:.1f}")
        print(f"    fastest: ours {min(t_o):.3f} s, baseline {min(t_h):.3f} s, domain only {min(t_b):.3f} s "
              f"({repeat} runs)")
    [o(p) for p in provinces for o in (ours,)]
    all_rows = counts()
    reset()
    [baseline(p) for p in provinces]
    if counts() != all_rows:
        print(f"MISMATCH 77 provinces: ours {all_rows}, baseline {counts()}")
        ok = False
    reset()
    mo, mb = results["one province"]
    print(f"goal one province < {GOAL_PROVINCE_SECONDS:.0f} s: {'met' if mo < GOAL_PROVINCE_SECONDS else 'NOT met'} "
          f"({mo:.3f} s)")
    for name, (mo, mb) in results.items():
        print(f"goal {name} within {GOAL_RATIO:.0f}x baseline: {'met' if mo / mb <= GOAL_RATIO else 'NOT met'} "
              f"({mo / mb:.1f}x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
