"""A framework version's scoring plan is compiled once per process and content: the calculator, the planner
and the mock results reuse it, and a version whose file changes is compiled again."""

from __future__ import annotations

from itadesk.methodology.models import FrameworkVersion
from itadesk.methodology.services import install_framework
from itadesk.scoring import engine
from tests.methodology.frameworks import nacc_shaped


def test_the_plan_is_compiled_once_and_again_when_the_file_changes(db):
    fw, _ = install_framework(actor=None, text=nacc_shaped(code="plan-cache", pass_mark=85))
    first = FrameworkVersion.objects.get(pk=fw.pk).scoring_plan()
    assert FrameworkVersion.objects.get(pk=fw.pk).scoring_plan() is first  # another row object, same plan
    assert first.pass_mark == 85

    changed, outcome = install_framework(actor=None, text=nacc_shaped(code="plan-cache", pass_mark=80))
    assert outcome == "updated" and changed.pk == fw.pk
    again = FrameworkVersion.objects.get(pk=fw.pk).scoring_plan()
    assert again is not first and again.pass_mark == 80


def test_an_unsaved_version_is_compiled_without_caching(db):
    fw, _ = install_framework(actor=None, text=nacc_shaped(code="plan-unsaved"))
    copy = FrameworkVersion(data=fw.data, sha256=fw.sha256)
    plan = copy.scoring_plan()
    assert isinstance(plan, engine.Plan) and copy.scoring_plan() is not plan
