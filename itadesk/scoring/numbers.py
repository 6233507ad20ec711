"""Exact numbers of the scoring engine: reading a given figure as the decimal it was written as, the
rounding of a rational in the framework's mode, answer keys. Pure Python + NumPy."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import numpy as np

from itadesk.framework.spec import ROUNDING_MODES, ROUNDING_STAGES

STAGES = ROUNDING_STAGES
MODES = {"half_even": ROUND_HALF_EVEN, "half_up": ROUND_HALF_UP, "truncate": ROUND_DOWN}
assert tuple(MODES) == ROUNDING_MODES
#: Batch path: a float this close (in score points) to a rounding boundary is "on" it, or rechecked.
TOLERANCE = Fraction(1, 10**9)
_FLOAT_EXACT = 2**53


# --- small exact helpers ------------------------------------------------------------------------

def _fraction(value: Any, where: str) -> Fraction:
    """A number given in a framework or by a caller, read as the decimal it was written as:
    ``33.33`` (a float) is exactly 3333/100, not the nearest double."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{where}: expected a number, got {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise ValueError(f"{where}: expected a finite number, got {value!r}")
        return Fraction(Decimal(repr(float(value))))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{where}: expected a finite number, got {value!r}")
        return Fraction(value)
    if isinstance(value, str):
        try:
            dec = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{where}: '{value}' is not a number") from None
        if not dec.is_finite():
            raise ValueError(f"{where}: expected a finite number, got {value!r}")
        return Fraction(dec)
    raise ValueError(f"{where}: expected a number, got {value!r}")


def _score(value: Any, where: str) -> Fraction:
    """A score 0–100."""
    f = _fraction(value, where)
    if not 0 <= f <= 100:
        raise ValueError(f"{where}: a score must be between 0 and 100, got {value!r}")
    return f


def _decimal_places(f: Fraction) -> int | None:
    """Places needed to write ``f`` as a decimal, or None if it is not a finite decimal."""
    d = f.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    return max(twos, fives) if d == 1 else None


def _answer_key(value: Any) -> Any:
    """Normalise a scale value or an answer for matching. YAML 1.1 reads unquoted ``yes``/``no`` as
    booleans, so True/False stand for "yes"/"no"; integral numbers become ints; strings are stripped."""
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


@dataclass(frozen=True)
class Rounding:
    """``rounding:`` of a framework: the decimals, the mode and the stages rounded before use."""

    decimals: int
    mode: str
    stages: frozenset[str]

    def quantize(self, value: Fraction) -> Decimal:
        """``value`` rounded to ``decimals`` places in ``mode``, with Decimal arithmetic.

        The division n/d is carried to enough digits (rounding toward zero) that the quotient lies
        on the same side of every rounding boundary as the exact value, so the result is the exact
        rounding of the rational number, not of an approximation."""
        n, d = value.numerator, value.denominator
        ctx = Context(prec=len(str(abs(n))) + len(str(d)) + self.decimals + 10, rounding=ROUND_DOWN)
        quotient = ctx.divide(Decimal(n), Decimal(d))
        return quotient.quantize(Decimal(1).scaleb(-self.decimals), rounding=MODES[self.mode], context=ctx)

