"""The score calculator behind ``itadesk score calc`` and the calculator page: ``CODE=VALUE``
arguments → the engine → lines of text. No Django.

Arguments are indicator codes (``1=93.55`` … ``10=65.56``) or instrument codes (``IIT=89.95``),
not a mix. Thai digits (๐–๙) are read as 0–9. The decimal separator is a dot: ``93,55`` is refused
rather than guessed (in Thai and English usage a comma groups thousands, so it would be ambiguous).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from itadesk.scoring.engine import (
    AgencyScore,
    Plan,
    compile_framework,
    score_from_indicators,
    score_from_instruments,
)

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NUMBER = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")


class CalcError(ValueError):
    """A bad calculator input; ``argument`` is the offending argument (or None), the message is Thai / English."""

    def __init__(self, message_th: str, message_en: str, argument: str | None = None):
        self.message_th = message_th
        self.message_en = message_en
        self.argument = argument
        super().__init__(f"{message_th} / {message_en}")


def thai_to_ascii_digits(text: str) -> str:
    """'๙๓.๕๕' → '93.55'."""
    return text.translate(THAI_DIGITS)


def parse_value(raw: str, argument: str | None = None) -> Decimal:
    """A score 0–100 written with a dot (Thai digits allowed). Raises CalcError."""
    arg = argument if argument is not None else raw
    text = thai_to_ascii_digits(raw.strip())
    if "," in text:
        raise CalcError(f"'{arg}': ใช้จุดเป็นจุดทศนิยม ไม่ใช้จุลภาค (เช่น 93.55)",
                        f"'{arg}': use a dot as the decimal separator, not a comma (e.g. 93.55)", arg)
    if not _NUMBER.fullmatch(text):
        raise CalcError(f"'{arg}': '{raw.strip()}' ไม่ใช่ตัวเลข", f"'{arg}': '{raw.strip()}' is not a number", arg)
    value = Decimal(text)
    if not 0 <= value <= 100:
        raise CalcError(f"'{arg}': คะแนนต้องอยู่ระหว่าง 0 ถึง 100", f"'{arg}': a score must be between 0 and 100", arg)
    return value


def parse_assignments(args: Iterable[str]) -> dict[str, Decimal]:
    """``["1=93.55", "IIT=89.95", "๒=๘๗.๗๒"]`` → ``{code: Decimal}`` in the order given.

    Raises CalcError naming the first bad argument: no ``=``, empty code, not a number, a comma as
    decimal separator, outside 0–100, or a code given twice."""
    values: dict[str, Decimal] = {}
    for arg in args:
        if "=" not in arg:
            raise CalcError(f"'{arg}': ต้องเขียนเป็น รหัส=คะแนน เช่น 1=93.55 หรือ IIT=89.95",
                            f"'{arg}': expected CODE=SCORE, e.g. 1=93.55 or IIT=89.95", arg)
        code, _, raw = arg.partition("=")
        code = thai_to_ascii_digits(code.strip())
        if not code:
            raise CalcError(f"'{arg}': ไม่มีรหัสตัวชี้วัดหน้าเครื่องหมาย =", f"'{arg}': no code before '='", arg)
        if not raw.strip():
            raise CalcError(f"'{arg}': ไม่มีคะแนนหลังเครื่องหมาย =", f"'{arg}': no score after '='", arg)
        if code in values:
            raise CalcError(f"'{arg}': ให้รหัส {code} ซ้ำ", f"'{arg}': {code} is given twice", arg)
        values[code] = parse_value(raw, arg)
    return values


def _match(code: str, known: Sequence[str]) -> str | None:
    if code in known:
        return code
    folded = [k for k in known if k.casefold() == code.casefold()]
    return folded[0] if len(folded) == 1 else None


def resolve(plan: Plan, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """Decide whether the codes are indicators or instruments: ``("indicator"|"instrument", {code: value})``
    with the framework's spelling of each code (instrument codes match case-insensitively)."""
    if not values:
        raise CalcError("ไม่มีคะแนนให้คำนวณ", "no scores given")
    indicators = [ind.code for ind in plan.indicators]
    instruments = [ins.code for ins in plan.instruments]
    kinds: dict[str, str] = {}
    resolved: dict[str, dict[str, Any]] = {"indicator": {}, "instrument": {}}
    for code, value in values.items():
        if (found := _match(code, indicators)) is not None:
            kind = "indicator"
        elif (found := _match(code, instruments)) is not None:
            kind = "instrument"
        else:
            raise CalcError(
                f"'{code}={value}': ไม่มีรหัส {code} ในเกณฑ์ {plan.id} (ตัวชี้วัด {', '.join(indicators)}; "
                f"แบบวัด {', '.join(instruments)})",
                f"'{code}={value}': no code {code} in framework {plan.id} (indicators {', '.join(indicators)}; "
                f"instruments {', '.join(instruments)})", f"{code}={value}")
        kinds[code] = kind
        resolved[kind][found] = value
    if len(set(kinds.values())) > 1:
        raise CalcError("ให้คะแนนรายตัวชี้วัดหรือรายแบบวัดอย่างใดอย่างหนึ่ง ไม่ปนกัน",
                        "give indicator scores or instrument scores, not a mix")
    kind = next(iter(kinds.values()))
    return kind, resolved[kind]


def calculate(fw_or_plan: Mapping[str, Any] | Plan, args: Iterable[str]) -> AgencyScore:
    """Parse ``args``, check that every indicator (or every instrument) is given, and score."""
    plan = compile_framework(fw_or_plan)
    kind, values = resolve(plan, parse_assignments(args))
    known = [ind.code for ind in plan.indicators] if kind == "indicator" else [ins.code for ins in plan.instruments]
    missing = [code for code in known if code not in values]
    if missing:
        if kind == "indicator":
            raise CalcError(f"ขาดคะแนนตัวชี้วัด {', '.join(missing)} (ต้องให้ครบ {len(known)} ตัวชี้วัด)",
                            f"missing indicator{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                            f"(all {len(known)} are needed)")
        raise CalcError(f"ขาดคะแนน {', '.join(missing)} (ต้องให้ครบ {', '.join(known)})",
                        f"missing {', '.join(missing)} (all of {', '.join(known)} are needed)")
    if kind == "indicator":
        return score_from_indicators(plan, values)
    return score_from_instruments(plan, values)


def _fmt(value: float | None, decimals: int) -> str:
    return "—" if value is None else f"{value:.{decimals}f}"


def format_result(plan: Plan, score: AgencyScore) -> list[str]:
    """The result as lines (Thai labels): each instrument with its weighted component, the total,
    the level (and any other level scheme) and pass/fail against the pass mark."""
    d = score.decimals
    lines = []
    width = max(len(ins.code) for ins in plan.instruments)
    for ins in plan.instruments:
        lines.append(f"{ins.code:<{width}}  {_fmt(score.instruments[ins.code], d):>6}  × {float(ins.weight):g}% "
                     f"= {_fmt(score.components[ins.code], d)}")
    lines.append(f"คะแนนรวม  {_fmt(score.total, d)}")
    if score.total is None:
        lines.append(score.explain_missing())
        return lines
    lines.append(f"ระดับผลการประเมิน  {score.level.label_th if score.level else '—'}")
    for name, level in score.level_sets.items():
        lines.append(f"ระดับ ({name})  {level.label_th if level else '—'}")
    verdict = "ผ่าน" if score.passed else "ไม่ผ่าน"
    lines.append(f"ผลการประเมิน  {verdict} (เกณฑ์ผ่าน {float(plan.pass_mark):.{d}f})")
    return lines
