"""House rules that a linter does not know about, checked over the source."""

import ast
import re
from pathlib import Path

import itadesk

SOURCE = Path(itadesk.__file__).parent


def test_row_locks_name_their_table():
    """``select_for_update()`` on a model whose default ordering or ``select_related`` joins a
    nullable relation is refused by PostgreSQL ("FOR UPDATE cannot be applied to the nullable side of
    an outer join") while SQLite, which ignores row locks, runs it happily: the bug only shows in
    production. Always lock the table you mean: ``select_for_update(of=("self",))``."""
    offenders = [f"{path.relative_to(SOURCE.parent)}:{n}"
                 for path in SOURCE.rglob("*.py")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if re.search(r"select_for_update\((?!of=)", line)]
    assert not offenders, "select_for_update() without of=(...): " + ", ".join(offenders)


def test_template_comments_are_closed_on_their_line():
    """Django's ``{# … #}`` comment ends at the end of its line: one that runs over several lines is
    printed on the page as text. Longer comments use ``{% comment %} … {% endcomment %}``."""
    offenders = [f"{path.relative_to(SOURCE.parent)}:{n}"
                 for path in SOURCE.rglob("*.html")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if "{#" in line and "#}" not in line[line.index("{#"):]]
    assert not offenders, "{# comment not closed on its line: " + ", ".join(offenders)


# Functions that also call the builtin round(), where a parameter named ``round`` would hide it.
ROUND_UNDERSCORE = {("demo/surveys.py", "load"), ("demo/surveys.py", "_load_counts"),
                    ("reports/build.py", "_milestones")}


def test_a_round_parameter_is_called_round():
    """One name per concept: a parameter holding a round is ``round`` (like the models' ``round`` fields and
    ``filter(round=…)``), so keyword callers never guess between ``round=`` and ``round_=``; ``round_`` only
    where the function needs the builtin ``round()`` (ROUND_UNDERSCORE)."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                if any(a.arg == "round_" for a in args):
                    found.add((str(path.relative_to(SOURCE)), node.name))
    assert found == ROUND_UNDERSCORE, f"parameters named round_ (call them round): {sorted(found - ROUND_UNDERSCORE)}"
