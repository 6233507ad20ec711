#!/usr/bin/env python
"""Monitoring report benchmark: a province of 120 agencies and a national-size set of 8,317 agencies.

    .venv/bin/python bench/report.py [--province 120] [--national 8317] [--repeat 5]

Not a test. It builds a throwaway database (a temporary SQLite file, or the *empty* database named by
DATABASE_URL) with two provinces in one run: the "province" (120 agencies) and the "national-size set"
(8,317 agencies in one province, every agency followed by the NACC office). Every section of the report has
realistic data: progress on three milestones with history (5 % of the rows changed after the cut-off, so
the report must read the audit log), 26 OIT items per agency through the pre-review workflow with their
event log and the checker's findings, stakeholder data and ten dated IIT/EIT counts per agency, last
year's results, coaching flags and a target group, action items asked of agencies and problems.

For each set it times, as the median of --repeat runs after a warm-up:

* "queries": ``build.monitoring(round, office, at)`` alone (every query and every number of the report);
* "PDF", "DOCX", "XLSX": the data built *and* the document rendered (what a user waits for),

for the largest office's report and for the province summary, and prints
``name: ours X s, baseline Y s, ratio Z`` with ours = the document and baseline = the queries alone, the
query count, and the peak memory of one build of each document (tracemalloc: Python objects; Typst's own
memory is not seen by it, so the process's peak RSS is printed too). Goal: the province's report (PDF)
under 3 s. Exits 2 if it refuses to run (a non-empty DATABASE_URL database). Figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_PROVINCE_SECONDS = 3.0
N_ITEMS = 26


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--province", type=int, default=120, help="agencies of the province (default 120)")
    p.add_argument("--national", type=int, default=8317, help="agencies of the national-size set (default 8317)")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (median; default 5)")
    p.add_argument("--seed", type=int, default=2568)
    args = p.parse_args(argv)
    if args.province < 20 or args.national < 20:
        p.error("each set needs at least 20 agencies")
    return args


def setup_django():
    tmp = tempfile.mkdtemp(prefix="itadesk-bench-report-")
    os.environ["ITADESK_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "itadesk.settings"
    os.environ["PYTHAINLP_OFFLINE"] = "1"
    os.environ["ITADESK_DEBUG"] = "0"
    import django

    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = os.path.join(tmp, "media")
    return tmp


# --- data ----------------------------------------------------------------------------------------

def build_set(code: str, n: int, rng: random.Random, framework, now, cut):
    """One province of ``n`` agencies with data in every section of the report."""
    from decimal import Decimal

    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from itadesk.committee import services as committee
    from itadesk.committee.models import ActionItem, Problem
    from itadesk.core.models import AuditEvent
    from itadesk.cycles.models import Milestone, Participation, Progress, Round
    from itadesk.evidence.models import EvidenceEvent, EvidenceItem, Finding
    from itadesk.methodology.models import AssessmentResult, TargetGroup, TargetGroupMember
    from itadesk.registry.models import (
        LOCAL_GOVERNMENT_KINDS,
        Agency,
        AgencyKind,
        District,
        OversightRule,
        Province,
        SupervisingOffice,
    )
    from itadesk.surveys.models import ResponseCount, StakeholderData, StakeholderEvent

    day = dt.timedelta(days=1)
    with transaction.atomic():
        province = Province.objects.create(code=code, name_th=f"จังหวัดทดสอบ{code}")
        districts = District.objects.bulk_create([
            District(province=province, geocode=f"{code}{j:02d}", name_th=f"อำเภอทดสอบ{code}-{j:02d}")
            for j in range(1, 21)])
        kinds = [AgencyKind.PROVINCIAL, AgencyKind.PAO] + [AgencyKind.DISTRICT] * 18
        kinds += [rng.choice([AgencyKind.SAO, AgencyKind.SAO, AgencyKind.SUBDISTRICT_MUNICIPALITY])
                  for _ in range(n - len(kinds))]
        agencies = Agency.objects.bulk_create([
            Agency(province=province, district=districts[i % 20], kind=k, is_demo=True, source="bench/report.py",
                   name_th=f"{AgencyKind(k).label} ทดสอบ{code}-{i:05d}") for i, k in enumerate(kinds)],
            batch_size=2000)
        offices = {}
        for order, (ocode, name) in enumerate([("nacc", "ป.ป.ช.จังหวัด"), ("provincial-office", "สนง.จังหวัด"),
                                               ("local-promotion", "สถ.จ."),
                                               ("provincial-administration", "ปค.จังหวัด")], start=1):
            offices[ocode] = SupervisingOffice.objects.create(province=province, code=ocode, order=order,
                                                              name_th=f"{name}ทดสอบ{code}", short_name=f"{name}{code}")
        lg = [str(k) for k in LOCAL_GOVERNMENT_KINDS]
        OversightRule.objects.create(office=offices["nacc"], all_agencies=True)
        OversightRule.objects.create(office=offices["provincial-office"], kinds=[AgencyKind.PROVINCIAL])
        OversightRule.objects.create(office=offices["local-promotion"], kinds=lg)
        OversightRule.objects.create(office=offices["provincial-administration"], kinds=[AgencyKind.DISTRICT])

        round_ = Round.objects.create(province=province, fiscal_year=2568, name=f"ITA 2568 ({code})", is_current=True,
                                      starts_on="2024-10-01", ends_on="2025-09-30", framework=framework)
        ms = [Milestone.objects.create(round=round_, code=c, name_th=t, order=i, deadline=now + d * day)
              for i, (c, t, d) in enumerate([("stakeholders", "ผู้มีส่วนได้ส่วนเสีย", -60), ("oit", "OIT", -5),
                                             ("iit-eit", "IIT/EIT", 40)], start=1)]
        Participation.objects.bulk_create([Participation(round=round_, agency=a, needs_coaching=rng.random() < 0.1)
                                           for a in agencies], batch_size=2000)

        # progress, 5 % changed after the cut-off (their earlier state is in the history)
        progress, later = [], []
        for a in agencies:
            for m, mix in zip(ms, [(0.6, 0.3, 0.05), (0.4, 0.35, 0.15), (0.05, 0.2, 0.5)], strict=True):
                r = rng.random()
                status = ("approved" if r < mix[0] else "done" if r < mix[0] + mix[1]
                          else "in_progress" if r < sum(mix) else "not_started")
                changed_after = rng.random() < 0.05
                at = cut + rng.random() * (now - cut) if changed_after else cut - rng.randint(2, 80) * day
                p = Progress(milestone=m, agency=a, status=status, updated_at=at,
                             done_at=at if status in ("done", "approved") else None)
                progress.append(p)
                if changed_after:
                    later.append(p)
        Progress.objects.bulk_create(progress, batch_size=5000)
        ct = ContentType.objects.get_for_model(Progress)
        events = [AuditEvent(action="progress.set", content_type=ct, object_id=str(p.pk), object_repr="bench",
                             after={"status": "in_progress", "done_at": None}) for p in later]
        AuditEvent.objects.bulk_create(events, batch_size=5000)
        AuditEvent.objects.filter(pk__in=[e.pk for e in events]).update(at=cut - 3 * day)

        # OIT evidence: 26 items per agency through the workflow, with the event log and findings
        codes = [f"o{i}" for i in range(1, N_ITEMS + 1)]
        flow = {"draft": [], "submitted": ["draft", "approved_by_executive", "submitted"],
                "approved": ["draft", "approved_by_executive", "submitted", "approved"],
                "returned": ["draft", "approved_by_executive", "submitted", "returned"]}
        items, item_states = [], []
        for a in agencies:
            for c in codes:
                r = rng.random()
                state = "approved" if r < 0.45 else "submitted" if r < 0.65 else "returned" if r < 0.75 else "draft"
                if state == "draft" and rng.random() < 0.5:
                    continue  # not even started
                items.append(EvidenceItem(round=round_, agency=a, item_code=c, answer="has", state=state,
                                          urls=[f"https://a{a.pk}.go.th/{c}"], created_at=cut - 40 * day))
                item_states.append(state)
        EvidenceItem.objects.bulk_create(items, batch_size=5000)
        ev, findings = [], []
        for item, state in zip(items, item_states, strict=True):
            steps = flow[state] or ["draft"]
            last_after = rng.random() < 0.05
            prev = "draft"
            for k, to in enumerate(steps):
                at = cut - (30 - 5 * k) * day
                if last_after and k == len(steps) - 1:
                    at = cut + (now - cut) / 2
                ev.append(EvidenceEvent(item=item, action="bench", from_state=prev, to_state=to, at=at))
                prev = to
            if rng.random() < 0.1:
                for _ in range(rng.randint(1, 3)):
                    findings.append(Finding(item=item, url=item.urls[0], code="bench", passed=False, severity="error",
                                            message_th="เปิดไม่ได้", created_at=cut - 2 * day))
        EvidenceEvent.objects.bulk_create(ev, batch_size=5000)
        Finding.objects.bulk_create(findings, batch_size=5000)

        # stakeholders and ten dated counts per instrument
        data = StakeholderData.objects.bulk_create([
            StakeholderData(round=round_, agency=a, internal_count=rng.randint(10, 300),
                            external_people=rng.randint(50, 20000), state="approved", locked=True)
            for a in agencies], batch_size=2000)
        StakeholderEvent.objects.bulk_create([
            StakeholderEvent(data=d, action="approved", at=cut - 50 * day,
                             values={"internal_count": d.internal_count, "external_people": d.external_people,
                                     "external_organizations": 0}) for d in data], batch_size=5000)
        counts = []
        first = (cut - 12 * day).date()
        for a in agencies:
            for inst in ("IIT", "EIT"):
                n = 0
                for k in range(10):
                    n += rng.randint(0, 8)
                    on_date = first + dt.timedelta(days=k)
                    counts.append(ResponseCount(round=round_, agency=a, instrument=inst, on_date=on_date, count=n,
                                                entered_at=dt.datetime.combine(on_date, dt.time(12), tzinfo=dt.UTC),
                                                is_latest=k == 9))
        ResponseCount.objects.bulk_create(counts, batch_size=5000)

        # last year's results, a target group
        AssessmentResult.objects.bulk_create([
            AssessmentResult(agency=a, fiscal_year=2567, framework=framework,
                             published_total=Decimal(f"{rng.uniform(55, 99):.2f}")) for a in agencies], batch_size=2000)
        group = TargetGroup.objects.create(province=province, name="กลุ่มเป้าหมาย", fiscal_year=2568)
        TargetGroupMember.objects.bulk_create([TargetGroupMember(group=group, agency=a, reason="คะแนนต่ำ")
                                               for a in rng.sample(agencies, min(21, len(agencies)))])

    # the committee's action items (one asked of every local government) and problems, dated before the cut-off
    local = [a for a in agencies if a.kind in LOCAL_GOVERNMENT_KINDS]
    for i in range(6):
        committee.create_action(actor=None, province=province, agencies=local if i == 0 else rng.sample(local, 21),
                                changes={"kind": "agencies", "title": f"ข้อสั่งการที่ {i + 1}", "office": offices[
                                    "local-promotion" if i % 2 == 0 else "nacc"], "due_date": (cut + 10 * day).date()})
    for i in range(4):
        committee.save_problem(actor=None, province=province, agencies=rng.sample(local, 5),
                               changes={"office": offices["local-promotion"], "title": f"ปัญหาที่ {i + 1}",
                                        "action_taken": "ประสานแล้ว", "request_to_committee": "ขอให้ที่ประชุมพิจารณา"})
    ActionItem.objects.filter(province=province).update(created_at=cut - 20 * day)
    Problem.objects.filter(province=province).update(created_at=cut - 15 * day)
    return round_, offices


# --- measuring -----------------------------------------------------------------------------------

def timed(fn, repeat):
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), min(runs)


def peak(fn):
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2**20


def count_queries(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def measure(label, round_, office, cut, repeat, results):
    from itadesk.reports import build, render

    def queries():
        return build.monitoring(round_, office, cut)

    q_med, q_min = timed(queries, repeat)
    n_queries = count_queries(queries)
    data = queries()
    print(f"{label} queries (build.monitoring): {q_med:.3f} s (fastest {q_min:.3f} s), {n_queries} SQL queries, "
          f"{data['agencies']:,} agencies, {len(data['oit']['rows']):,} OIT rows, {peak(queries):.1f} MB peak")
    for fmt in ("pdf", "docx", "xlsx"):
        def full(fmt=fmt):
            return render.render(build.monitoring(round_, office, cut), fmt)

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        med, fastest = timed(full, repeat)
        size = len(full())
        mem = peak(full)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{label} {fmt.upper()}: ours {med:.3f} s, baseline {q_med:.3f} s, ratio {med / q_med:.1f}")
        print(f"    fastest {fastest:.3f} s; render alone {med - q_med:.3f} s; {size / 1024:,.0f} KiB; "
              f"peak {mem:.1f} MB (Python), process peak RSS {rss:,.0f} MB (before this document {rss_before:,.0f} MB)")
        results[(label, fmt)] = med


def main(argv=None):
    args = parse_args(argv)
    tmp = setup_django()
    try:
        from django.core.management import call_command
        from django.utils import timezone

        from itadesk.methodology import services as methodology
        from itadesk.registry.models import Agency

        call_command("migrate", verbosity=0)
        if Agency.objects.exists():
            print("refusing: the database already has agencies (give an empty, throwaway DATABASE_URL)",
                  file=sys.stderr)
            return 2
        path = next(p for p in methodology.shipped_files() if p.name == "nacc-ita-2568.yaml")
        framework, _ = methodology.install_framework(actor=None, text=path.read_text(encoding="utf-8"),
                                                     source=path.name)
        now = timezone.now().replace(microsecond=0)
        cut = now - dt.timedelta(days=1)  # the report for yesterday's meeting, data changed since
        rng = random.Random(args.seed)
        t = time.perf_counter()
        sets = [("province", *build_set("10", args.province, rng, framework, now, cut)),
                ("national", *build_set("11", args.national, rng, framework, now, cut))]
        print(f"built {args.province:,} + {args.national:,} agencies in {time.perf_counter() - t:.1f} s")
        results = {}
        for name, round_, offices in sets:
            office = offices["nacc"]  # follows every agency: the largest office report
            measure(f"{name} office ({office.code})", round_, office, cut, args.repeat, results)
            measure(f"{name} summary", round_, None, cut, args.repeat, results)
        worst = max(results[("province office (nacc)", f)] for f in ("pdf", "docx", "xlsx"))
        ok = worst < GOAL_PROVINCE_SECONDS
        print(f"goal: province report under {GOAL_PROVINCE_SECONDS:.0f} s — slowest format {worst:.3f} s: "
              f"{'met' if ok else 'NOT met'}")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
