"""The framework format's vocabulary: the keys of each object, the allowed values and the defaults
(docs/framework-format.md). Pure Python."""

from __future__ import annotations

import re

SCHEMA = "itadesk-framework/1"

STATUSES = ("official", "unofficial")
CONFIDENCES = ("H", "M", "L")
ROUNDING_MODES = ("half_even", "half_up", "truncate")
ROUNDING_STAGES = ("item", "subindicator", "indicator", "instrument", "component", "total")
TOTAL_RULES = ("weighted_sum",)
SCALE_TYPES = ("choice",)
RESPONDENTS = ("internal", "external", "agency")
INSTRUMENT_AGGREGATES = ("mean", "weighted_mean")
INDICATOR_AGGREGATES = ("mean_items", "mean_subindicators")
TEXT_STATUSES = ("official", "verbatim_other_year", "paraphrase", "unknown")
#: Which time an OIT item's evidence must be about (docs/framework-format.md, "Time rules"):
TIME_RULES = ("none", "current_holder", "covers_current_year", "current_year", "previous_year",
              "first_half_current_year", "any_year")
#: The time rules the evidence checker holds a page's fiscal years against; the others never get a
#: fiscal-year finding.
DATED_TIME_RULES = ("covers_current_year", "current_year", "previous_year", "first_half_current_year")
#: The older key ``data_year`` (``current`` | ``previous`` | ``any``), still read: converted on load.
DATA_YEARS = ("current", "previous", "any")
#: What the evidence checker can recognise besides words (an element's ``detect``): an image in the
#: page's content (a photo), a table, a phone number, an e-mail address, a map (an embedded or linked
#: Google/OpenStreetMap map), a link to a PDF, a link to a Word/Excel/PowerPoint file.
DETECTORS = ("image", "person_photo", "table", "phone", "email", "map", "pdf_link", "office_link")
DATA_YEAR_TO_TIME_RULE = {"current": "current_year", "previous": "previous_year", "any": "any_year"}
SAMPLE_GROUPS = ("internal", "external")
FIRST_YEAR, LAST_YEAR = 2500, 2700
MAX_DECIMALS = 6
DEFAULT_DECIMALS = 2
DEFAULT_MODE = "half_up"
DEFAULT_STAGES = ("total",)

SLUG_RE = re.compile(r"^[a-z0-9-]+$")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
WORD_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
URL_RE = re.compile(r"^https?://\S+$")
INTEGER_TEXT_RE = re.compile(r"^[+-]?[0-9\u0e50-\u0e59]+$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

COMMON = ("note", "confidence", "sources")
#: The keys each kind of object may have, in the order the specification (and a written file) uses.
KEYS: dict[str, tuple[str, ...]] = {
    "framework": ("schema", "id", "version", "scheme", "fiscal_year", "years", "name_th", "name_en", "status",
                  "note", "confidence", "sources", "pass_mark", "rounding", "total", "scales", "levels",
                  "level_sets", "sample_rules", "instruments"),
    "source": ("id", "title", "url", "note"),
    "rounding": ("decimals", "mode", "stages", *COMMON),
    "total": ("rule", *COMMON),
    "scale": ("type", *COMMON, "options"),
    "option": ("value", "score", "label_th", "label_en", *COMMON),
    "level": ("code", "label_th", "label_en", "min_total", "min_each_instrument", "passing", *COMMON),
    "sample_rule": ("percent", "min", "max", "all_below", "confirmed", *COMMON),
    "instrument": ("code", "name_th", "name_en", "respondents", "weight", "aggregate", *COMMON, "indicators"),
    "indicator": ("code", "name_th", "name_en", "aggregate", "weight", *COMMON, "subindicators", "items"),
    "subindicator": ("code", "name_th", "name_en", *COMMON, "items"),
    "item": ("code", "text_th", "text_en", "text_status", "wording_year", "scale", "not_applicable", "order",
             "time_rule", "hints", *COMMON, "subquestions", "elements"),
    "subquestion": ("code", "text_th", "text_en", "scale", *COMMON),
    "element": ("code", "text_th", "text_en", "keywords", "patterns", "detect", "min_count", *COMMON),
    "hints": ("keywords", "document_types"),
    "time_rule": ("rule", *COMMON),
}
#: Keys still read for compatibility, converted on load and never written (see ``item_time_rule``).
LEGACY_KEYS: dict[str, tuple[str, ...]] = {"item": ("data_year",)}
AGENCY_ONLY_ITEM_KEYS = ("time_rule", "data_year", "elements", "hints")

#: Keys that say what a framework is and how it reads (names, wordings, labels, provenance) but that the
#: scoring engine never uses: a framework handed straight to the engine (``load_for_scoring``) may leave
#: them out; everything else is checked exactly as when a file is loaded.
DESCRIPTIVE_KEYS = frozenset({"schema", "id", "version", "scheme", "fiscal_year", "name_th", "status", "type",
                              "label_th", "text_th", "text_status"})
