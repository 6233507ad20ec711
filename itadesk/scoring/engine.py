"""The ITA scoring engine: framework (a plain dict, see docs/framework-format.md) + answers → scores.

Pure Python + NumPy; no Django. Three entry points share one set of rules:

* **one agency** — :func:`score_agency` (raw answers), :func:`score_from_indicators` and
  :func:`score_from_instruments` (published figures). Exact arithmetic: scale scores and given
  figures are read as decimals, everything between rounding stages is an exact rational
  (:class:`fractions.Fraction`), and every rounding is done with :mod:`decimal` in the framework's mode.
* **thousands of agencies** — :func:`score_batch` over NumPy arrays (one row per respondent, one
  column per item or sub-question). Vectorised; its results are *identical* to the single-agency
  path (see "Exactness of the batch path" below).
* **the OIT planner** — :func:`what_if_oit`: the fewest OIT items to make ready to reach a target
  total, found exactly by dynamic programming over the framework's tree.

Compile a framework once with :func:`compile_framework` and pass the :class:`Plan` around: every
function also accepts the framework dict and compiles it on the fly. The engine has no parser of its own:
``compile_framework`` reads the structure the one framework parser (:mod:`itadesk.framework`) checks and
completes, so defaults (rounding ``half_up``…) and errors (:class:`FrameworkError`) are the loader's.

Scores come back as ``float`` values, each the nearest double to a decimal with the framework's
``rounding.decimals`` places (``81.45``), or ``None`` (``NaN`` in arrays) where there is no data.
Every reported score is rounded that way; ``rounding.stages`` says which rounded values are also
used further up (the others go up exact). Result levels and pass/fail compare the reported (rounded)
total and instrument scores.

Exactness of the batch path
---------------------------
Respondent and item arithmetic is done in integers: each answer's score is an integer number of
``1/U`` (``U`` = 10**decimals of the scale scores), a respondent's item score with sub-questions is
scaled by ``L = lcm(1..max sub-questions)`` so that it stays an integer, and per-agency sums are
exact (``np.bincount`` on integer-valued float64, checked to stay below 2**53). Item scores are
rounded with integer division. Above the items the batch path works in float64 (error below
1e-11) and rounds with a tolerance of 1e-9: a value that close to a rounding boundary (a half for the
``half_*`` modes, a whole unit for ``truncate``) is treated as *on* the boundary when the
framework's structure proves it (the value's denominator is bounded, e.g. a mean of rounded
indicators, so it cannot be that close without being on it); otherwise the agency is recomputed
with the exact single-agency arithmetic. ``BatchScores.exact_rechecks`` counts those agencies.

Modules: ``numbers`` (exact decimals, :class:`Rounding`), ``plan`` (:func:`compile_framework`, :class:`Plan`),
``single`` (one agency), ``batch`` (NumPy), ``whatif`` (the OIT planner). This module is the public face: import
from here.
"""

from __future__ import annotations

from itadesk.framework.errors import FrameworkError
from itadesk.scoring.batch import BatchScores, ResponseBlock, batch_agency_score, encode_answers, score_batch
from itadesk.scoring.numbers import MODES, STAGES, TOLERANCE, Rounding
from itadesk.scoring.plan import (
    IndicatorInfo,
    InstrumentInfo,
    ItemInfo,
    Level,
    LevelRule,
    Plan,
    ScaleInfo,
    SubindicatorInfo,
    compile_framework,
)
from itadesk.scoring.single import AgencyScore, score_agency, score_from_indicators, score_from_instruments
from itadesk.scoring.whatif import WhatIf, what_if_oit

__all__ = [
    "STAGES", "MODES", "TOLERANCE", "FrameworkError", "Rounding", "Plan", "Level", "LevelRule", "ScaleInfo",
    "ItemInfo", "SubindicatorInfo", "IndicatorInfo", "InstrumentInfo", "AgencyScore", "ResponseBlock",
    "BatchScores", "WhatIf", "compile_framework", "score_agency", "score_from_indicators",
    "score_from_instruments", "score_batch", "batch_agency_score", "encode_answers", "what_if_oit",
]
