"""The access register: every action the code asks about is registered by some app's rules.py, an
unregistered one is refused loudly, and an officer's ``can()`` reads the database at most once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from itadesk.accounts import access
from itadesk.accounts.models import Role
from itadesk.registry.models import OversightRule

ROOT = Path(__file__).resolve().parents[2] / "itadesk"
ACCESS_CALLS = {"can": 1, "require": 1, "province_to_work_on": 1, "provinces_for": 1}


def _name(func) -> str | None:
    """``f`` for ``f(...)`` and ``access.f(...)``; None for a method of something else (``self.require``)."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "access":
        return func.attr
    return None


def _literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _argument(call: ast.Call, index: int):
    if len(call.args) > index:
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == "action"), None)


def _forwarders(tree, positions: dict[str, int]) -> dict[str, int]:
    """The module's own helpers that pass their ``action`` parameter on to an access call (repeatedly, so
    a helper calling such a helper counts too), with the position of that parameter."""
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    changed = True
    while changed:
        changed = False
        for fn in functions:
            names = [a.arg for a in fn.args.posonlyargs + fn.args.args]
            if fn.name in positions or "action" not in names:
                continue
            for call in ast.walk(fn):
                if isinstance(call, ast.Call) and _name(call.func) in positions:
                    arg = _argument(call, positions[_name(call.func)])
                    if isinstance(arg, ast.Name) and arg.id == "action":
                        positions[fn.name] = names.index("action")
                        changed = True
                        break
    return positions


def actions_in_code() -> dict[str, list[str]]:
    """Every literal action string in itadesk/: the action argument of can / require / province_to_work_on /
    provinces_for, and of a module's own helpers that pass their ``action`` parameter on to one of them
    (with the default of that parameter)."""
    found: dict[str, list[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(ROOT.parent))
        positions = _forwarders(tree, dict(ACCESS_CALLS))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in positions \
                    and node.name not in ACCESS_CALLS:
                names = [a.arg for a in node.args.posonlyargs + node.args.args]
                defaults = dict(zip(names[len(names) - len(node.args.defaults):], node.args.defaults, strict=True))
                if _literal(defaults.get("action")):
                    found.setdefault(_literal(defaults["action"]), []).append(f"{where}:{node.lineno}")
            if isinstance(node, ast.Call) and _name(node.func) in positions:
                value = _argument(node, positions[_name(node.func)])
                if value is not None and _literal(value):
                    found.setdefault(_literal(value), []).append(f"{where}:{node.lineno}")
    return found


def test_every_action_in_the_code_is_registered():
    found = actions_in_code()
    assert len(found) > 40  # the scan sees the code (a broken scan must not pass quietly)
    unknown = {action: places for action, places in found.items() if action not in access.registered_actions()}
    assert unknown == {}


def test_an_unregistered_action_is_refused_loudly(world):
    for user in (world.secretariat, world.local_officer, world.admin_a):
        with pytest.raises(access.UnknownAction):
            access.can(user, "no_such_action", world.sao1)
    with pytest.raises(access.UnknownAction):
        access.can(None, "no_such_action")


def test_each_action_is_registered_once():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        access.rule("set_progress")(lambda scope, action, obj: True)


def test_the_scope_is_one_query(world, django_assert_num_queries):
    """One query (and, with the page cache on, an office's oversight rules and their hand-picked agencies read
    with it, two more, to be kept with it); then nothing for the rest of the request, and nothing for the next
    request while no data changed."""
    for user, queries in ((world.secretariat, 1), (world.local_officer, 3), (world.admin_a, 1)):
        with django_assert_num_queries(queries):
            scope = access.scope_for(user)
        fresh = type(user).objects.get(pk=user.pk)  # the same person in the next request
        with django_assert_num_queries(0):
            assert access.scope_for(user) is scope
            access.province_ids_for(user)
            str(access.agencies_for(user).query)  # the oversight rules are already in the scope
            access.can(user, "review_evidence", world.sao1)  # and so is what they pick: decided from memory
            again = access.scope_for(fresh)
        assert again == scope and again is not scope
    assert access.scope_for(world.local_officer).office_roles == {world.local.pk: {Role.OFFICER}}


def _officer_questions(w):
    return [
        ("view_agency", w.sao1), ("set_progress", w.sao1), ("set_progress", w.provincial),
        ("review_evidence", w.sao1), ("view_evidence", w.pao), ("enter_responses", w.sao2),
        ("manage_questionnaire", w.sao1), ("review_questionnaire", w.district_office),
        ("view_itas_qr", w.sao1), ("view_surveys", w.sao1), ("edit_evidence", w.sao1),
        ("import_progress", w.round), ("export_progress", w.round), ("view_followup", w.round),
        ("import_responses", w.round), ("print_itas_qr_bulk", w.round), ("view_office", w.local),
        ("view_review_queue", w.local), ("manage_examples", w.local), ("run_check", w.sao1),
        ("view_committee", w.province), ("view_reports", w.province), ("build_report", w.local),
        ("view_problems", w.local), ("edit_problems", w.nacc), ("view_projects", w.province),
        ("manage_people", w.province), ("view_contacts", w.local), ("view_results", w.province),
        ("manage_round", w.round), ("view_issued_documents", w.province), ("manage_person", w.admin_a),
    ]


def test_an_officer_can_costs_at_most_one_query(world, django_assert_max_num_queries):
    officer = world.local_officer
    access.scope_for(officer)
    with django_assert_max_num_queries(2):  # the first question about following also reads the office's rules
        access.can(officer, "set_progress", world.sao1)
    for action, obj in _officer_questions(world):
        with django_assert_max_num_queries(1, info=action):
            access.can(officer, action, obj)


def test_the_officer_answers_follow_the_oversight_rules(world):
    # local-promotion follows the local governments: the SAOs and the PAO, not the provincial agency.
    officer = world.local_officer
    assert access.can(officer, "set_progress", world.sao1)
    assert access.can(officer, "set_progress", world.pao)
    assert not access.can(officer, "set_progress", world.provincial)
    assert not access.can(officer, "set_progress", world.district_office)
    assert set(access.agencies_for(officer)) == {world.pao, world.sao1, world.sao2}
    assert access.can(world.admin_officer, "review_evidence", world.sao1)  # an assisting rule counts too
    assert not access.can(world.reviewer, "set_progress", world.sao1)  # reviewers judge, officers advise
    assert access.can(world.reviewer, "review_evidence", world.sao1)


def test_rules_changed_after_the_scope_are_seen_by_the_next_request(world, client):
    OversightRule.objects.filter(office=world.local).delete()
    assert not access.can(world.local_officer, "set_progress", world.sao1)
    from django.contrib.auth import get_user_model

    fresh = get_user_model().objects.get(pk=world.local_officer.pk)  # a new request loads the user again
    rule = OversightRule.objects.create(office=world.local)
    rule.agencies.add(world.sao1)
    assert access.can(fresh, "set_progress", world.sao1)
    assert not access.can(fresh, "set_progress", world.sao2)


def test_provinces_for(world):
    assert access.provinces_for(world.local_officer, "view_projects") == {world.province.pk}
    assert access.provinces_for(world.local_officer, "manage_projects") == set()
    assert access.provinces_for(world.admin_a, "view_projects") == set()
    assert access.provinces_for(world.superuser, "view_projects") is None
