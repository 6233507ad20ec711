"""Dependencies between ITA Desk's apps point one way, as docs/architecture.md draws them, and ITA Desk modules
are imported at the top of a module, not inside functions (except the few listed here).

Both checks read the source with ``ast``; nothing is imported.

How a new app declares its edges: add one entry to ``DEPENDS_ON`` — ``"archive": {"reports"}`` — naming the
apps it imports directly (everything below those is allowed too), and draw the same arrow in
docs/architecture.md (the first drawing there must name every app). An existing app that starts importing the new one needs the new app in its own entry;
the test refuses a declaration that makes a cycle.
"""

from __future__ import annotations

import ast
import functools
import re
from collections import Counter
from pathlib import Path

import itadesk

SOURCE = Path(itadesk.__file__).parent

# The graph of docs/architecture.md: each app (or an app's pages, "<app>.pages") and what it imports directly.
# An app may import what it names and, transitively, whatever those may import: a layer uses every layer below.
DEPENDS_ON: dict[str, set[str]] = {
    "core": set(),
    "registry": {"core"},
    "accounts": {"registry"},
    "framework": set(),  # the framework parser, pure Python
    "scoring": {"framework"},  # the engine, pure Python + NumPy
    "methodology": {"accounts", "scoring"},
    "notifications": {"accounts"},  # the outbox of every hand-off message (e-mail, LINE)
    "cycles": {"methodology", "notifications"},  # a round is assessed with a framework version (Round.framework)
    "committee": {"cycles"},
    "documents": {"committee"},  # the PDF/DOCX engines and official letters (which read committee meetings)
    "evidence": {"documents"},
    "surveys": {"evidence"},  # surveys.consistency reads OIT approvals
    "questionnaires": {"surveys"},
    "projects": {"documents"},
    "reports": {"surveys"},
    "demo": {"reports", "questionnaires", "projects"},
    "calendars": {"projects"},  # feeds of deadlines, committee meetings and workshop sessions
    "api": {"surveys"},  # reads the apps' selectors and runs their services
    # An app's pages (PAGE_MODULES) sit above its own domain when they show what a higher app keeps:
    "registry.pages": {"registry", "cycles"},  # agency and office pages: rounds, access rules
    "methodology.pages": {"methodology", "evidence"},  # the what-if planner reads the OIT workspace
}
# What an app's "pages" are, for the apps that declare "<app>.pages" above.
PAGE_MODULES = ("views", "urls", "rules", "management")  # management: its commands
# Modules of the project itself (settings, urls, wsgi, cli) sit above every app; no app may import them.
PROJECT = "itadesk"

# Imports of ITA Desk modules inside a function that stay, each for its reason (file → how many). Nothing else.
FUNCTION_LEVEL_IMPORTS = {
    # AppConfig.ready(): models are loaded only then (registering rules, history's and milestone callbacks).
    "accounts/apps.py": 2,
    "surveys/apps.py": 3,
    "evidence/apps.py": 1,
    "cycles/apps.py": 1,
    # Queueing a Huey task: tasks.py, the worker's entry points, imports the module that queues it.
    "evidence/services.py": 1,
    "evidence/snapshots.py": 1,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The ITA Desk modules an import statement names (absolute dotted names)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == PROJECT]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = node.module or ""
    if target.split(".")[0] != PROJECT:
        return []
    if target == PROJECT:  # from itadesk import cycles
        return [f"{PROJECT}.{a.name}" for a in node.names]
    return [target]


def _walk_imports(tree: ast.AST, module: str, is_package: bool, in_function: bool = False):
    """(target module, line, inside a function) for each ITA Desk module that ``tree`` imports."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.Import | ast.ImportFrom):
            for target in _targets(module, is_package, child):
                yield target, child.lineno, in_function
        yield from _walk_imports(child, module, is_package, in_function or isinstance(
            child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))


@functools.cache
def imports() -> tuple:
    """(path, module, target module, line, inside a function) for every import of an ITA Desk module outside
    migrations."""
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target, line, in_function in _walk_imports(tree, module, path.name == "__init__.py"):
            found.append((path, module, target, line, in_function))
    return tuple(found)


def node_of(module: str) -> str:
    """The node of the graph a module belongs to: its app, or "<app>.pages" when the app declares one."""
    parts = module.split(".")
    if len(parts) < 2 or not (SOURCE / parts[1]).is_dir():
        return PROJECT
    app = parts[1]
    if len(parts) > 2 and parts[2] in PAGE_MODULES and f"{app}.pages" in DEPENDS_ON:
        return f"{app}.pages"
    return app


def allowed(node: str) -> set[str]:
    """Everything ``node`` may import: what it names, transitively (and itself)."""
    seen, todo = {node}, [node]
    while todo:
        for below in DEPENDS_ON.get(todo.pop(), ()):
            if below not in seen:
                seen.add(below)
                todo.append(below)
    return seen


def test_the_declared_graph_has_no_cycle_and_names_only_apps():
    apps = {p.name for p in SOURCE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - {"locale"}
    assert set(DEPENDS_ON) - {k for k in DEPENDS_ON if k.endswith(".pages")} == apps, \
        "every app (and only apps) has an entry in DEPENDS_ON"
    for node, below in DEPENDS_ON.items():
        assert below <= set(DEPENDS_ON), f"{node} names an unknown node: {below - set(DEPENDS_ON)}"
        for other in below:
            assert node not in allowed(other), f"cycle: {node} → {other} → … → {node}"


def test_the_drawing_names_every_app():
    doc = (SOURCE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawing = doc.split("```")[1]
    missing = [app for app in DEPENDS_ON if "." not in app and not re.search(rf"\b{app}\b", drawing)]
    assert not missing, f"apps missing from the drawing in docs/architecture.md: {missing}"


def test_apps_import_only_what_the_graph_allows():
    wrong = []
    for path, module, target, line, in_function in imports():
        source, dest = node_of(module), node_of(target)
        if source == PROJECT or source == dest:
            continue
        if dest == PROJECT or dest not in allowed(source):
            where = "inside a function" if in_function else "at the top"
            wrong.append(f"{path.relative_to(SOURCE.parent)}:{line}: {source} → {dest} ({target}, {where})")
    assert not wrong, ("imports against docs/architecture.md's graph (declare the edge in DEPENDS_ON and draw "
                       "it, or move the code to the app it belongs to):\n" + "\n".join(wrong))


def function_level_imports() -> Counter:
    """Imports of ITA Desk modules inside functions, per file (relative to itadesk/)."""
    return Counter(str(path.relative_to(SOURCE)) for path, _m, _t, _l, in_function in imports() if in_function)


def test_ita_desk_modules_are_imported_at_the_top():
    found = function_level_imports()
    extra = {f: n for f, n in found.items() if n > FUNCTION_LEVEL_IMPORTS.get(f, 0)}
    assert not extra, ("imports of ITA Desk modules inside functions (move them to the top of the module; a "
                       f"cycle means the code belongs in another module or app): {extra}")
    assert sum(found.values()) <= sum(FUNCTION_LEVEL_IMPORTS.values())


def test_the_import_reader_resolves_relative_imports_inside_methods():
    tree = ast.parse("class A:\n    def f(self):\n        from ..core import audit\n")
    assert list(_walk_imports(tree, "itadesk.cycles.views", False)) == [("itadesk.core", 3, True)]
    assert list(_walk_imports(ast.parse("from .models import Round"), "itadesk.cycles.views", False)) == [
        ("itadesk.cycles.models", 1, False)]
    assert list(_walk_imports(ast.parse("from . import selectors"), "itadesk.cycles", True)) == [
        ("itadesk.cycles", 1, False)]
    assert node_of("itadesk.registry.views") == "registry.pages"
    assert node_of("itadesk.registry.models") == "registry"
    assert node_of("itadesk.cycles.views") == "cycles"
    assert node_of("itadesk.cycles") == "cycles"
    assert node_of("itadesk.wsgi") == PROJECT
    assert "core" in allowed("demo") and "demo" not in allowed("core")


MAX_LINES = 700
OWN_SIZE_RULES = ("evidence/checker/",)  # the checker package keeps its own split (docs/architecture.md)


def test_no_module_grows_past_700_lines():
    big = {str(p.relative_to(SOURCE)): n for p in SOURCE.rglob("*.py")
           if "migrations" not in p.parts and not str(p.relative_to(SOURCE)).startswith(OWN_SIZE_RULES)
           and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, f"modules over {MAX_LINES} lines (split them by responsibility): {big}"


if __name__ == "__main__":  # python -m tests.test_architecture: the count, for notes and reviews
    counts = function_level_imports()
    print(f"imports of ITA Desk modules inside functions: {sum(counts.values())}")
    for name, n in counts.most_common():
        print(f"{n:4} {name}")
