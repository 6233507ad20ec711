#!/usr/bin/env python
"""Scoring-engine benchmark at national scale: 8,317 agencies, ~460,000 IIT and ~910,000 EIT respondents.

    .venv/bin/python bench/scoring.py [--agencies 8317] [--iit 460000] [--eit 910000] [--repeat 5]

Not a test; needs no Django and no database. It builds synthetic answers with a fixed seed for the
NACC framework (``itadesk/methodology/frameworks/nacc-ita-2568.yaml`` if present, else the NACC-shaped
sample of tests/scoring/samples.py): per agency a lognormal number of respondents, one answer column
per IIT/EIT item or sub-question (option indices, 2 % not answered), and the 26 OIT items as 0/100
scores (1 % not answered). It then times, as the median of --repeat runs after a warm-up:

* ours: ``engine.score_batch`` — every item, indicator, instrument, total, level and pass flag;
* baseline: the same totals the obvious way with pandas — a score matrix (NaN = not answered),
  each respondent's item score as the mean of its answered sub-questions,
  ``DataFrame.groupby(agency).mean()``, indicator and instrument means with NumPy, rounding at the
  framework's stages (values snapped to 1e-6 first so that float ties round like decimal ties), weights.

Each line reads ``name: ours X s, baseline Y s, ratio Z``. Peak memory is the tracemalloc peak of a
separate, untimed run of each (NumPy and pandas buffers allocated during the call; the input arrays
are not counted). The script exits 1 if ours and the baseline disagree on any total or instrument
score. See docs/benchmarks.md ("Scoring engine") for the figures and bench/README.md for how to run it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from itadesk.scoring import engine  # noqa: E402

FRAMEWORK = ROOT / "itadesk" / "methodology" / "frameworks" / "nacc-ita-2568.yaml"
GOAL_RATIO = 1.5
GOAL_SECONDS = 10.0
GOAL_BYTES = 2 * 1024**3


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--agencies", type=int, default=8317, help="number of agencies (default 8317)")
    p.add_argument("--iit", type=int, default=460_000, help="IIT respondents in all (default 460000)")
    p.add_argument("--eit", type=int, default=910_000, help="EIT respondents in all (default 910000)")
    p.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (median; default 5)")
    p.add_argument("--seed", type=int, default=2568, help="random seed for the generated data")
    p.add_argument("--framework", type=Path, default=None,
                   help="framework YAML (default: nacc-ita-2568.yaml if present, else the test sample)")
    args = p.parse_args(argv)
    if args.agencies < 1 or args.repeat < 1:
        p.error("--agencies and --repeat must be at least 1")
    return args


def load_framework(path: Path | None) -> tuple[dict, str]:
    if path is None and FRAMEWORK.is_file():
        path = FRAMEWORK
    if path is not None:
        return yaml.safe_load(path.read_text(encoding="utf-8")), str(path.relative_to(ROOT) if path.is_absolute()
                                                                     and ROOT in path.parents else path)
    from tests.scoring.samples import NACC_YAML

    return yaml.safe_load(NACC_YAML), "tests/scoring/samples.py NACC_YAML"


# --- data ----------------------------------------------------------------------------------------

def respondents_per_agency(rng, n_agencies: int, total: int, empty_share: float) -> np.ndarray:
    """Skewed sizes (lognormal) summing to ``total``; a few agencies with none at all."""
    weights = rng.lognormal(0.0, 0.8, n_agencies)
    weights[rng.random(n_agencies) < empty_share] = 0
    counts = np.floor(weights / weights.sum() * total).astype(np.int64)
    short = total - counts.sum()
    counts[np.argsort(-weights)[:short]] += 1
    return counts


def make_block(rng, plan: engine.Plan, code: str, counts: np.ndarray, quality: np.ndarray) -> engine.ResponseBlock:
    agency = np.repeat(np.arange(len(counts)), counts)
    rng.shuffle(agency)                        # rows in no particular order, as from an export
    n = len(agency)
    columns = plan.columns(code)
    answers = np.empty((n, len(columns)), dtype=np.int8)
    shape = quality[agency]                    # agency effect: lower exponent → better answers
    for c, (item_code, sub) in enumerate(columns):   # the answer's rank by score: u ** shape, skewed
        item = plan.item(item_code)
        scale = plan.scales[item.scales[item.subquestions.index(sub) if sub else 0]]
        by_score = np.argsort([float(s) for s in scale.scores], kind="stable").astype(np.int8)
        u = rng.random(n) ** shape
        col = by_score[np.minimum((u * len(by_score)).astype(np.int64), len(by_score) - 1)]
        col[rng.random(n) < 0.02] = -1
        answers[:, c] = col
    return engine.ResponseBlock(agency, answers)


def make_data(args, plan: engine.Plan):
    rng = np.random.default_rng(args.seed)
    quality = rng.uniform(0.03, 0.4, args.agencies)
    responses = {}
    for ins in plan.respondent_instruments:
        total = args.iit if ins.respondents == "internal" else args.eit
        counts = respondents_per_agency(rng, args.agencies, total, 0.002)
        responses[ins.code] = make_block(rng, plan, ins.code, counts, quality)
    has = rng.random((args.agencies, len(plan.agency_columns))) < (1.1 - quality / 2)[:, None]
    oit = np.where(has, 100.0, 0.0)
    oit[rng.random(oit.shape) < 0.01] = np.nan
    return responses, oit


# --- baseline ------------------------------------------------------------------------------------

def snap_round(x: np.ndarray, decimals: int, mode: str) -> np.ndarray:
    """Round as decimals would: snap away float noise (1e-6 of the last place), then round."""
    y = np.round(x * 10**decimals, 6)
    if mode == "half_even":
        q = np.round(y)
    elif mode == "half_up":
        q = np.floor(y + 0.5)
    else:
        q = np.floor(y)
    return q / 10**decimals


def baseline(plan: engine.Plan, n_agencies: int, responses, oit) -> tuple[np.ndarray, np.ndarray]:
    """(total, instrument scores) with pandas group-by means and NumPy."""
    rnd = plan.rounding

    def stage(name: str, x: np.ndarray) -> np.ndarray:
        return snap_round(x, rnd.decimals, rnd.mode) if name in rnd.stages else x

    item_scores = np.full((n_agencies, len(plan.items)), np.nan)
    offset = 0
    for ins in plan.instruments:
        if ins.respondents == "agency":
            block = oit[:, offset:offset + len(ins.columns)]
            offset += len(ins.columns)
            agency = np.arange(n_agencies)
        elif ins.code in responses:
            agency, block = responses[ins.code].agency, responses[ins.code].answers
        else:
            continue
        per_respondent = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            for i in ins.items:
                item = plan.items[i]
                cols = range(item.column, item.column + item.n_columns)
                if ins.respondents == "agency":
                    per_respondent[item.code] = block[:, item.column]
                    continue
                score = np.full((len(agency), item.n_columns), np.nan)
                for k, c in enumerate(cols):
                    table = np.array([float(s) for s in plan.scales[item.scales[k]].scores] + [np.nan])
                    score[:, k] = table[block[:, c]]
                per_respondent[item.code] = (np.nanmean(score, axis=1) if item.n_columns > 1 else score[:, 0])
            frame = pd.DataFrame(per_respondent)
            means = frame.groupby(agency).mean().reindex(range(n_agencies))
        for i in ins.items:
            item_scores[:, i] = means[plan.items[i].code].to_numpy()
    item_scores = stage("item", item_scores)

    def nanmean(columns: list[np.ndarray]) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)       # "mean of empty slice" → NaN, as wanted
            return np.nanmean(np.column_stack(columns), axis=1)

    total = np.zeros(n_agencies)
    instruments = np.full((n_agencies, len(plan.instruments)), np.nan)
    for ins in plan.instruments:
        indicators = []
        for k in ins.indicators:
            ind = plan.indicators[k]
            if ind.aggregate == "mean_subindicators":
                subs = [stage("subindicator", nanmean([item_scores[:, i] for i in plan.subindicators[s].items]))
                        for s in ind.subindicators]
                indicators.append(stage("indicator", nanmean(subs)))
            else:
                indicators.append(stage("indicator", nanmean([item_scores[:, i] for i in ind.items])))
        if ins.aggregate == "weighted_mean":
            values = np.column_stack(indicators)
            weights = np.array([float(plan.indicators[k].weight) for k in ins.indicators])
            present = ~np.isnan(values)
            value = (np.where(present, values, 0) * weights).sum(1) / (present * weights).sum(1)
        else:
            value = nanmean(indicators)
        instruments[:, ins.index] = snap_round(value, rnd.decimals, rnd.mode)
        component = stage("component", stage("instrument", value) * float(ins.weight) / 100)
        total = total + component
    return snap_round(total, rnd.decimals, rnd.mode), instruments


# --- measurement ----------------------------------------------------------------------------------

def timed(fn, repeat: int) -> tuple[float, float, object]:
    result = fn()                                # warm-up
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), min(runs), result


def peak_bytes(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def mib(n: int) -> str:
    return f"{n / 1024**2:.0f} MiB"


def main(argv=None) -> int:
    args = parse_args(argv)
    fw, source = load_framework(args.framework)
    plan = engine.compile_framework(fw)
    print(f"framework: {plan.id} ({source}); columns: "
          + ", ".join(f"{ins.code} {len(ins.columns)}" for ins in plan.instruments))
    start = time.perf_counter()
    responses, oit = make_data(args, plan)
    sizes = ", ".join(f"{code} {len(b.agency):,} × {b.answers.shape[1]}" for code, b in responses.items())
    print(f"data: {args.agencies:,} agencies; {sizes}; OIT {oit.shape[0]:,} × {oit.shape[1]} "
          f"(built in {time.perf_counter() - start:.1f} s, seed {args.seed})")
    print(f"machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}, NumPy {np.__version__}, "
          f"pandas {pd.__version__}")

    def ours():
        return engine.score_batch(plan, n_agencies=args.agencies, responses=responses, oit=oit)

    def base():
        return baseline(plan, args.agencies, responses, oit)

    ours_median, ours_best, batch = timed(ours, args.repeat)
    base_median, base_best, (base_total, base_instruments) = timed(base, args.repeat)
    same_total = np.array_equal(batch.total, base_total, equal_nan=True)
    same_instruments = np.array_equal(batch.instruments, base_instruments, equal_nan=True)
    complete = int(np.count_nonzero(~np.isnan(batch.total)))
    print(f"agencies with a total: {complete:,} of {args.agencies:,}; passing: "
          f"{int(np.nansum(batch.passed)):,}; exact rechecks: {batch.exact_rechecks}")
    print(f"score_batch: ours {ours_median:.3f} s, baseline {base_median:.3f} s, "
          f"ratio {ours_median / base_median:.2f}")
    print(f"  fastest run: ours {ours_best:.3f} s, baseline {base_best:.3f} s (median of {args.repeat} after a warm-up)")

    one = int(np.argmax(np.bincount(responses[plan.respondent_instruments[0].code].agency,
                                    minlength=args.agencies) == 55)) if plan.respondent_instruments else 0
    answers = single_agency_answers(plan, responses, oit, one)
    single_median, single_best, single = timed(lambda: engine.score_agency(plan, answers), args.repeat)
    n_resp = ", ".join(f"{code} {int(np.count_nonzero(b.agency == one))}" for code, b in responses.items())
    print(f"score_agency (one agency: {n_resp} respondents): {single_median * 1000:.1f} ms "
          f"(fastest {single_best * 1000:.1f} ms)")
    same_single = single == batch.agency(one)

    ours_peak, base_peak = peak_bytes(ours), peak_bytes(base)
    print(f"peak memory (tracemalloc, allocations during the call): ours {mib(ours_peak)}, "
          f"baseline {mib(base_peak)}")
    goals = [
        (f"within {GOAL_RATIO}× of the baseline", ours_median <= GOAL_RATIO * base_median),
        (f"under {GOAL_SECONDS:.0f} s", ours_median < GOAL_SECONDS),
        ("under 2 GB", ours_peak < GOAL_BYTES),
    ]
    for name, ok in goals:
        print(f"goal {name}: {'met' if ok else 'NOT met'}")
    if not (same_total and same_instruments and same_single):
        bad = int(np.count_nonzero(~((batch.total == base_total) | (np.isnan(batch.total) & np.isnan(base_total)))))
        print(f"MISMATCH: totals differ for {bad} agencies; instruments equal: {same_instruments}; "
              f"single == batch: {same_single}", file=sys.stderr)
        return 1
    print("check: ours and the baseline agree on every total and instrument score; score_agency == score_batch")
    return 0


def single_agency_answers(plan: engine.Plan, responses, oit, a: int) -> dict:
    """Agency ``a``'s rows turned back into score_agency's answers (values, not indices)."""
    answers: dict = {}
    for ins in plan.respondent_instruments:
        block = responses[ins.code]
        rows = block.answers[block.agency == a]
        for i in ins.items:
            item = plan.items[i]
            cols = rows[:, item.column:item.column + item.n_columns]
            vals = [[None if o < 0 else plan.scales[s].values[o] for s, o in zip(item.scales, row, strict=True)]
                    for row in cols.tolist()]
            answers[item.code] = vals if item.subquestions else [v[0] for v in vals]
    col = 0
    for ins in plan.agency_instruments:
        for i in ins.items:
            scale = plan.scales[plan.items[i].scales[0]]
            v = oit[a, col]
            answers[plan.items[i].code] = None if np.isnan(v) else scale.values[
                [float(s) for s in scale.scores].index(v)]
            col += plan.items[i].n_columns
    return answers


if __name__ == "__main__":
    raise SystemExit(main())
