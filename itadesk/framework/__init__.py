"""Framework files (methodology as data): the one parser of the format. Pure Python + PyYAML, no Django.

The format is specified in ``docs/framework-format.md``. In short::

    fw = load_text(text)                      # or load_data(parsed); methodology.schema.load_file(path)
    for instrument, indicator, subindicator, item in iter_items(fw): ...

Loading validates the whole file and raises :class:`FrameworkError` with *every* problem found, each a
:class:`FieldError` naming the path of the offending value (``instruments[0].indicators[3].items[2].scale:
unknown scale 'five'``). A loaded framework is a plain dict with the defaults of the format filled in, its
keys in the order of the specification; loading it again gives the same dict.

The scoring engine (``itadesk.scoring``) compiles from this structure: ``compile_framework`` passes what it
is given through :func:`load_for_scoring` (the same checks and defaults; only the descriptive keys may be
left out), so a file read by the loader and the same file handed to the engine are read the same way —
one default rounding (``half_up``), one error class.

YAML is read with the YAML 1.2 booleans: only ``true`` and ``false`` are booleans, so the answer values
``yes`` and ``no`` of a scale stay text (YAML 1.1, PyYAML's default, would turn them into booleans).
Keys given twice in one mapping are errors (YAML would silently keep the last one).

Modules: ``spec`` (keys, values, defaults), ``errors`` (the error classes and their wording), ``loading``
(YAML → checked dict), ``checks`` / ``checker`` / ``items`` (the checker: generic fields, the top level,
the tree of instruments), ``queries`` (items in ITAS order, look-ups, minimum samples), ``writing``.
"""

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
from itadesk.framework.spec import DEFAULT_DECIMALS, DEFAULT_MODE, DEFAULT_STAGES, SCHEMA
from itadesk.framework.writing import dump_text

__all__ = [
    "DEFAULT_DECIMALS", "DEFAULT_MODE", "DEFAULT_STAGES", "SCHEMA", "FieldError", "FrameworkError", "ItemRef",
    "counts", "did_you_mean", "dump_text", "find_instrument", "find_item", "item_time_rule", "iter_items",
    "load_data", "load_for_scoring", "load_text", "locate_errors", "minimum_sample", "parent_paths",
    "parse_text", "validate",
]
