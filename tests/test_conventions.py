"""House rules that a linter does not know about, checked over the source."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


def _bare_builtin_round(tree: ast.AST) -> list[int]:
    """Lines where the name ``round`` is read but is neither a call of the builtin nor a name of the scope:
    a variable still called ``round_`` nearby, so ``round`` silently means the builtin function."""
    found: list[int] = []

    def scope_names(node) -> set[str]:
        args = node.args
        names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        names |= {a.arg for a in (args.vararg, args.kwarg) if a}
        if not isinstance(node, ast.Lambda):
            names |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        return names

    def visit(node, names: frozenset[str]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            names = names | scope_names(node)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "round":
            children = [*node.args, *node.keywords]
        else:
            children = list(ast.iter_child_nodes(node))
            if isinstance(node, ast.Name) and node.id == "round" and isinstance(node.ctx, ast.Load) \
                    and "round" not in names:
                found.append(node.lineno)
        for child in children:
            visit(child, names)

    module_names = frozenset(n.id for n in ast.iter_child_nodes(tree) if isinstance(n, ast.Name))
    visit(tree, module_names)
    return found


def test_round_never_means_the_builtin_by_accident():
    """With rounds called ``round``, a leftover ``round_`` variable beside a ``round=round`` call would hand
    the builtin function to the service instead of the round (no linter sees it: the name exists)."""
    offenders = []
    for folder in (SOURCE, SOURCE.parent / "tests", SOURCE.parent / "bench"):
        for path in folder.rglob("*.py"):
            if "migrations" not in path.parts:
                offenders += [f"{path.relative_to(SOURCE.parent)}:{line}"
                              for line in _bare_builtin_round(ast.parse(path.read_text(encoding="utf-8")))]
    assert not offenders, f"'round' read where no round is in scope (the builtin): {offenders}"


def test_the_round_check_sees_a_leftover_round_underscore():
    bad = ast.parse("def view(round_id):\n    round_ = get(round_id)\n    return plan(round=round)\n")
    good = ast.parse("def view(round_id):\n    round = get(round_id)\n    return plan(round=round, n=round(1.5))\n")
    assert _bare_builtin_round(bad) == [3] and _bare_builtin_round(good) == []


def test_every_access_attribute_read_exists():
    """``access.<name>`` for every name read through ``from itadesk.accounts import access`` exists (a helper
    that moved, such as ``round_or_404`` to ``cycles.rounds``, would otherwise fail only when the page runs)."""
    from itadesk.accounts import access

    missing = []
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not any(isinstance(n, ast.ImportFrom) and n.module == "itadesk.accounts"
                   and any(a.name == "access" and a.asname is None for a in n.names) for n in ast.walk(tree)):
            continue
        missing += [f"{path.relative_to(SOURCE.parent)}:{n.lineno} access.{n.attr}" for n in ast.walk(tree)
                    if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "access"
                    and not hasattr(access, n.attr)]
    assert not missing, f"names that itadesk.accounts.access does not have: {missing}"


BENCH = Path(itadesk.__file__).resolve().parent.parent / "bench"


@pytest.mark.parametrize("script", sorted(p.name for p in BENCH.glob("*.py") if p.name != "procstat.py"))
def test_every_bench_script_prints_its_help(script):
    """A stray "%" in an argparse help text breaks --help only when it is asked for."""
    result = subprocess.run(
        [sys.executable, str(BENCH / script), "--help"], capture_output=True, text=True, timeout=120,
        cwd=BENCH.parent,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage:" in result.stdout
