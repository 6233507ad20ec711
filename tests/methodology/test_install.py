"""Installing framework files into the database and pointing a round at one (``itadesk framework``)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from itadesk.cycles.models import Progress, Status
from itadesk.methodology.models import FrameworkVersion
from itadesk.methodology.services import shipped_files
from tests.methodology.frameworks import nacc_shaped


def run(*args):
    out = StringIO()
    call_command("framework", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_install_shipped_is_idempotent(db):
    first = run("install", "--shipped")
    assert first.count("installed") == len(shipped_files()) == 5
    assert set(FrameworkVersion.objects.values_list("code", flat=True)) == {
        "nacc-ita-2566", "nacc-ita-2567", "nacc-ita-2568", "nacc-ita-2569", "nacc-ita-2570"}
    assert run("install", "--shipped").count("unchanged") == 5
    fw = FrameworkVersion.objects.get(code="nacc-ita-2568")
    assert fw.data["pass_mark"] == 85 and fw.status == "unofficial" and len(fw.sha256) == 64


def test_install_a_file_and_use_it_for_a_round(world, tmp_path, client):
    path = tmp_path / "test.yaml"
    path.write_text(nacc_shaped(), encoding="utf-8")
    assert "test-ita v1: ติดตั้งใหม่ / installed" in run("install", str(path))
    assert "test-ita v1" in run("use", "test-ita", "--round", "2568")
    world.round.refresh_from_db()
    assert str(world.round.framework) == "test-ita v1"
    client.force_login(world.secretariat)
    html = client.get(f"/rounds/{world.round.pk}/").content.decode()
    assert 'data-testid="round-framework">test-ita v1</a>' in html
    # once the round has data, the version is frozen and the round keeps its framework
    Progress.objects.create(milestone=world.m1, agency=world.sao1, status=Status.DONE)
    path.write_text(nacc_shaped(pass_mark=80), encoding="utf-8")
    with pytest.raises(CommandError, match="new version"):
        run("install", str(path))
    path.write_text(nacc_shaped(version=2), encoding="utf-8")
    run("install", str(path))
    with pytest.raises(CommandError, match="cannot be changed"):
        run("use", "test-ita@2", "--round", "2568")
    with pytest.raises(CommandError, match="no framework 'nope'"):
        run("use", "nope", "--round", "2568")
    with pytest.raises(CommandError, match="no FY2570 round"):
        run("use", "test-ita", "--round", "2570")


def test_an_invalid_file_installs_nothing(db, tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(nacc_shaped(), encoding="utf-8")
    bad.write_text(nacc_shaped().replace("weight: 40", "weight: 41"), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was installed"):
        run("install", str(good), str(bad))
    assert FrameworkVersion.objects.count() == 0


def test_admin_keeps_the_framework_of_a_round_with_data(world, client):
    from itadesk.methodology import services

    fw, _ = services.install_framework(actor=None, text=nacc_shaped())
    services.set_round_framework(actor=None, round=world.round, framework=fw)
    client.force_login(world.superuser)
    url = f"/admin/cycles/round/{world.round.pk}/change/"
    assert 'name="framework"' in client.get(url).content.decode()
    Progress.objects.create(milestone=world.m1, agency=world.sao1, status=Status.DONE)
    assert 'name="framework"' not in client.get(url).content.decode()


def test_oit_evidence_also_freezes_the_round_framework(world):
    from itadesk.evidence.models import EvidenceItem
    from itadesk.methodology import services

    fw, _ = services.install_framework(actor=None, text=nacc_shaped())
    services.set_round_framework(actor=None, round=world.round, framework=fw)
    EvidenceItem.objects.create(round=world.round, agency=world.sao1, item_code="o1")
    assert fw.is_locked and "already has data" in fw.dependents()[0]
    other, _ = services.install_framework(actor=None, text=nacc_shaped(code="other-ita"))
    with pytest.raises(services.FrameworkLocked):
        services.set_round_framework(actor=None, round=world.round, framework=other)
