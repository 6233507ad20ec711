"""History tables show lists of agencies (a target group's members, a round's new participants) only as far
as the reader may see them: names of the visible ones, a count of the others — never the others' ids."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from itadesk.methodology import services


@pytest.fixture
def group(world):
    services.save_target_group(actor=world.secretariat, province=world.province, name="กลุ่มเป้าหมายทดสอบ",
                               members=[(world.sao1, "OIT ต่ำ"), (world.pao, "ไม่ผ่าน")])
    group = services.save_target_group(actor=world.secretariat, province=world.province, name="กลุ่มเป้าหมายทดสอบ",
                                       members=[(world.sao1, "OIT ต่ำ"), (world.pao, "ไม่ผ่าน"),
                                                (world.provincial, "ไม่ผ่าน")])
    return group


def _history(client, user, group) -> str:
    client.force_login(user)
    html = client.get(reverse("methodology:target_group", args=[group.pk])).content.decode()
    return html[html.index('data-testid="history"'):]


def _listed(text) -> set[str]:
    """Every entry of the agency lists in the history table."""
    return {part.strip() for cell in re.findall(r"<(?:ins|del)>(.*?)</(?:ins|del)>", text) for part in cell.split(",")}


def test_an_agency_sees_only_itself_in_a_groups_history(client, world, group):
    text = _history(client, world.admin_a, group)
    listed = _listed(text)
    assert world.sao1.name_th in listed
    assert world.pao.name_th not in listed and world.provincial.name_th not in listed
    assert "และอีก 2 หน่วยงานที่ท่านไม่มีสิทธิ์เห็น" in listed
    assert not [e for e in listed if re.fullmatch(r"#?\d+", e)]  # no agency id, in any form


def test_an_office_sees_the_agencies_it_follows(client, world, group):
    listed = _listed(_history(client, world.local_officer, group))
    assert world.sao1.name_th in listed and world.pao.name_th in listed
    assert world.provincial.name_th not in listed


def test_the_secretariat_sees_every_member_by_name(client, world, group):
    text = _history(client, world.secretariat, group)
    assert {a.name_th for a in (world.sao1, world.pao, world.provincial)} <= _listed(text)
    assert "ไม่มีสิทธิ์เห็น" not in text


def test_without_a_reader_only_a_count_is_shown(world, group):
    from itadesk.core import audit, history

    rows = history.rows(audit.history_for(group))
    texts = [c.new for r in rows for c in r.changes if c.new and "หน่วยงาน" in c.new]
    assert texts and all(re.fullmatch(r"\d+ หน่วยงาน", t) for t in texts)
