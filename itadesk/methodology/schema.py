"""Framework files: the methodology app's door to the one framework parser, :mod:`itadesk.framework`
(pure Python), plus :func:`load_file`, which also reads the XLSX authoring template
(:mod:`itadesk.methodology.xlsx`). Every name the parser offers is importable from here as before."""

from __future__ import annotations

from pathlib import Path

from itadesk.framework.errors import FieldError, FrameworkError, did_you_mean, locate_errors, parent_paths
from itadesk.framework.loading import load_data, load_for_scoring, load_text, parse_text, validate
from itadesk.framework.queries import (
    ItemRef,
    counts,
    find_instrument,
    find_item,
    item_time_rule,
    iter_items,
    minimum_sample,
)
from itadesk.framework.spec import (
    AGENCY_ONLY_ITEM_KEYS,
    CODE_RE,
    COMMON,
    CONFIDENCES,
    DATA_YEAR_TO_TIME_RULE,
    DATA_YEARS,
    DATED_TIME_RULES,
    DEFAULT_DECIMALS,
    DEFAULT_MODE,
    DEFAULT_STAGES,
    DESCRIPTIVE_KEYS,
    DETECTORS,
    FIRST_YEAR,
    INDICATOR_AGGREGATES,
    INSTRUMENT_AGGREGATES,
    INTEGER_TEXT_RE,
    KEYS,
    LAST_YEAR,
    LEGACY_KEYS,
    MAX_DECIMALS,
    NAME_RE,
    RESPONDENTS,
    ROUNDING_MODES,
    ROUNDING_STAGES,
    SAMPLE_GROUPS,
    SCALE_TYPES,
    SCHEMA,
    SLUG_RE,
    STATUSES,
    TEXT_STATUSES,
    TIME_RULES,
    TOTAL_RULES,
    URL_RE,
    WORD_RE,
)
from itadesk.framework.writing import dump_text
from itadesk.methodology.xlsx import load_xlsx  # reads openpyxl only when a workbook is read

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"
YAML_SUFFIXES = (".yaml", ".yml")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def load_file(path) -> dict:
    """Load a framework file: YAML (``.yaml``/``.yml``) or the XLSX authoring template (``.xlsx``).
    Raises :class:`FrameworkError` (with the file name as ``source``) or ``OSError``."""
    path = Path(path)
    if path.suffix.lower() in XLSX_SUFFIXES:
        return load_xlsx(path, source=str(path))
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FrameworkError([FieldError("(file)", f"is not UTF-8 text (byte {exc.start + 1} cannot be read); "
                                                   "save the file as UTF-8")], source=str(path)) from None
    return load_text(text, source=str(path))




__all__ = [
    "FRAMEWORKS_DIR", "XLSX_SUFFIXES", "YAML_SUFFIXES", "FieldError", "FrameworkError", "ItemRef", "counts",
    "did_you_mean", "dump_text", "find_instrument", "find_item", "item_time_rule", "iter_items", "load_data",
    "load_file", "load_for_scoring", "load_text", "locate_errors", "minimum_sample", "parent_paths",
    "parse_text", "validate",
    "AGENCY_ONLY_ITEM_KEYS",
    "CODE_RE",
    "COMMON",
    "CONFIDENCES",
    "DATA_YEARS",
    "DATA_YEAR_TO_TIME_RULE",
    "DATED_TIME_RULES",
    "DEFAULT_DECIMALS",
    "DEFAULT_MODE",
    "DEFAULT_STAGES",
    "DESCRIPTIVE_KEYS",
    "DETECTORS",
    "FIRST_YEAR",
    "INDICATOR_AGGREGATES",
    "INSTRUMENT_AGGREGATES",
    "INTEGER_TEXT_RE",
    "KEYS",
    "LAST_YEAR",
    "LEGACY_KEYS",
    "MAX_DECIMALS",
    "NAME_RE",
    "RESPONDENTS",
    "ROUNDING_MODES",
    "ROUNDING_STAGES",
    "SAMPLE_GROUPS",
    "SCALE_TYPES",
    "SCHEMA",
    "SLUG_RE",
    "STATUSES",
    "TEXT_STATUSES",
    "TIME_RULES",
    "TOTAL_RULES",
    "URL_RE",
    "WORD_RE",
]
