"""History tables speak the reader's language: every recorded action has a label, fields are named by their
verbose_name, and values read as dates (BE), yes/no, choice labels and names instead of ids."""

import ast
import pathlib
import re

from django.urls import reverse

from itadesk.core.history import ACTION_LABELS, action_label, rows
from itadesk.core.thai import bangkok_datetime

ROOT = pathlib.Path(__file__).resolve().parents[2] / "itadesk"
# Files whose audit call takes its action from a variable; every value it can take is a string constant of
# the same module (checked below with all the other constants). A new one: label its actions, add it here.
INDIRECT = {"cycles/services.py", "registry/services.py", "registry/importing.py", "cycles/round_setup.py"}
NOT_ACTIONS = {"evidence.nightly_check", "evidence.run_check", "evidence.take_snapshots",
               "evidence.sweep_check_jobs", "evidence.sweep_check_jobs_at_startup",
               "cycles.send_due_reminders",  # Huey task names
               "demo.itadesk.local"}  # a host name
CODE = re.compile(r"^[a-z_]+\.[a-z_]+(\.[a-z_]+)?$")


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _audit_calls():
    for rel, tree in _sources():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or rel == "core/audit.py":
                continue
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr in {"record", "build"} and getattr(f.value, "id", "") == "audit":
                action = next((k.value for k in node.keywords if k.arg == "action"), None)
                yield rel, node.lineno, action


def _leaves(expr):
    if isinstance(expr, ast.IfExp):
        yield from _leaves(expr.body)
        yield from _leaves(expr.orelse)
    elif isinstance(expr, ast.BoolOp):
        for value in expr.values:
            yield from _leaves(value)
    else:
        yield expr


def test_every_recorded_action_has_a_label():
    missing, unresolved, calls = [], [], 0
    for rel, line, action in _audit_calls():
        calls += 1
        assert action is not None, f"{rel}:{line}: audit call without action="
        for leaf in _leaves(action):
            if isinstance(leaf, ast.Constant):
                if leaf.value not in ACTION_LABELS:
                    missing.append(f"{rel}:{line}: {leaf.value}")
            elif isinstance(leaf, ast.JoinedStr):
                pattern = "".join(re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_]+" for v in leaf.values)
                if not any(re.fullmatch(pattern, code) for code in ACTION_LABELS):
                    missing.append(f"{rel}:{line}: {ast.unparse(leaf)}")
            elif rel not in INDIRECT:
                unresolved.append(f"{rel}:{line}: {ast.unparse(leaf)}")
    assert calls > 60  # the scan does see the code
    assert not missing, "actions without a label in itadesk/core/history.py: " + ", ".join(missing)
    assert not unresolved, "action from a variable: label its values and list the file in INDIRECT: " + ", ".join(
        unresolved)


def test_every_action_like_constant_of_a_known_family_has_a_label():
    families = {code.split(".")[0] for code in ACTION_LABELS}
    missing = set()
    for rel, tree in _sources():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value)
                    and node.value.split(".")[0] in families and node.value not in NOT_ACTIONS
                    and not node.value.endswith(("_", ".html", ".py"))):
                if node.value not in ACTION_LABELS:
                    missing.add(f"{rel}: {node.value}")
    assert not missing, sorted(missing)


def test_every_value_of_the_computed_actions_has_a_label():
    from itadesk.committee.models import Problem
    from itadesk.committee.services import TARGET_TRANSITIONS, TRANSITIONS
    from itadesk.evidence.workflow import Action
    from itadesk.surveys.models import ResponseCount, StakeholderEvent

    codes = ([f"evidence.{a}" for a in Action.ALL] + [f"stakeholders.{a}" for a in StakeholderEvent.Action.values]
             + [f"responses.{s}" for s in ResponseCount.Source.values]
             + [f"committee.minutes_{a}" for _s, a in TRANSITIONS] + [f"committee.target_{a}" for _s, a in TARGET_TRANSITIONS]
             + [f"committee.problem_{s}" for s in Problem.Status.values])
    assert [c for c in codes if c not in ACTION_LABELS] == []


def test_labels_are_translated_and_unknown_codes_still_show():
    from django.utils import translation

    with translation.override("th"):
        assert action_label("agency.update") == "แก้ไขข้อมูลหน่วยงาน"
        assert action_label("demo.load") == "โหลดข้อมูลสาธิต"
    with translation.override("en"):
        assert action_label("agency.update") == "Agency details changed"
    assert action_label("something.new") == "something.new"


def test_history_table_shows_names_dates_and_yes_no(client, world):
    from itadesk.core import audit
    from itadesk.cycles import services as cycles
    from itadesk.registry import services as registry

    registry.save_agency(actor=world.secretariat, agency=world.sao2,
                         changes={"district": world.d1, "active": False, "kind": "subdistrict_mun"})
    client.force_login(world.secretariat)
    body = client.get(reverse("registry:agency_detail", args=[world.sao2.pk])).content.decode()
    history = body[body.index('data-testid="history"'):]
    assert "แก้ไขข้อมูลหน่วยงาน" in history and "agency.update" not in history.replace('"agency.update"', "")
    assert "district_id" not in history and "อำเภอ" in history
    assert f"<del>{world.d2.name_th}</del>" in history and f"<ins>{world.d1.name_th}</ins>" in history
    assert "<del>ใช่</del>" in history and "<ins>ไม่ใช่</ins>" in history
    assert "True" not in history and "False" not in history
    assert "<del>องค์การบริหารส่วนตำบล</del>" in history and "<ins>เทศบาลตำบล</ins>" in history  # choice labels

    cycles.save_milestone(actor=world.secretariat, milestone=world.m1,
                          changes={"deadline": bangkok_datetime(2568, 2, 7, 17)})
    (row,) = rows(audit.history_for(world.m1)[:1])
    (change,) = row.changes
    assert (change.old, change.new) == ("31 ม.ค. 2568 17:00 น.", "7 ก.พ. 2568 17:00 น.")
    assert row.label == "แก้ไขขั้นตอน"


def test_rows_cost_one_query_per_kind_of_related_object(world, django_assert_max_num_queries):
    from itadesk.core.models import AuditEvent
    from itadesk.registry import services as registry

    for i, agency in enumerate(world.agencies):
        registry.save_agency(actor=world.secretariat, agency=agency,
                             changes={"district": world.d2 if i % 2 else world.d1, "website": f"https://a{i}.go.th"})
    events = list(AuditEvent.objects.filter(action="agency.update"))
    with django_assert_max_num_queries(2):
        result = rows(events)
    assert len(result) == len(world.agencies)
