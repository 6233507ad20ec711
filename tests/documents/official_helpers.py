"""The seed's meeting and letter in the test world (committee members, the meeting of 24 Dec 2567, the
registers and the letter ว ๘๗๒), for the official documents' tests."""

from __future__ import annotations

from itadesk.committee.models import CommitteeMember
from itadesk.demo import meetings, official_documents
from itadesk.demo.loader import COMMITTEE


def load_seed(world):
    """(meeting, letter) of the seed, loaded once per world."""
    if not CommitteeMember.objects.filter(province=world.province).exists():
        for order, (name, position, role, note) in enumerate(COMMITTEE, start=1):
            CommitteeMember.objects.create(province=world.province, name=name, position=position,
                                           committee_role=role, order=order, note=note)
    meeting = meetings.load(world.province, world.round)
    letter = official_documents.load(world.province, world.round)
    return meeting, letter
