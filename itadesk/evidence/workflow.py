"""The OIT evidence workflow as an explicit state machine.

::

    draft ──approve (executive)──► approved_by_executive ──submit (executive, editor)──► submitted
      ▲                                   │                                               │    │
      │◄──────────── edit (editor) ───────┘            return (reviewer) ◄────────────────┘    │ approve
      │                                                       │                                ▼ (reviewer)
      │◄──────────── edit (editor) ──────────── returned ◄────┴──── return (reviewer) ──── approved
      │◄──────────── withdraw (editor, executive) ◄── submitted                                 │
      └◄──────────── edit (editor) ─────────────────────────────────────────────────────────────┘

``TRANSITIONS`` maps (state, action, role) to the new state; anything else is refused with a
:class:`TransitionRefused` that says why, in Thai and English. The roles a user holds for an agency
come from ``itadesk.accounts.access`` (the one place that decides access):

* ``editor``: the agency's admin, the secretariat of its province (``edit_evidence``);
* ``executive``: the agency's executive (``approve_evidence``) — the admin cannot approve;
* ``reviewer``: an officer or reviewer of an office whose oversight rules follow the agency
  (``review_evidence``) — never a user of the agency itself.

The services in ``services.py`` apply a transition: one transaction, one ``EvidenceEvent`` and one
audit event per item.
"""

from __future__ import annotations

from dataclasses import dataclass

from itadesk.accounts import access
from itadesk.core.services import Refused
from itadesk.evidence.models import State


class Action:
    EDIT = "edit"
    APPROVE = "approve"  # the agency's executive approves what the admin prepared
    SUBMIT = "submit"  # sent to the supervising offices for pre-review
    WITHDRAW = "withdraw"  # taken back by the agency before the review
    REVIEW_APPROVE = "review_approve"  # the reviewer passes the item
    REVIEW_RETURN = "review_return"  # the reviewer returns it with comments

    ALL = (EDIT, APPROVE, SUBMIT, WITHDRAW, REVIEW_APPROVE, REVIEW_RETURN)


class Role:
    EDITOR = "editor"
    EXECUTIVE = "executive"
    REVIEWER = "reviewer"

    ALL = (EDITOR, EXECUTIVE, REVIEWER)


S = State
TRANSITIONS: dict[tuple[str, str, str], str] = {
    # the admin (or the secretariat) prepares; an edit of anything past the draft reopens it
    (S.DRAFT, Action.EDIT, Role.EDITOR): S.DRAFT,
    (S.APPROVED_BY_EXECUTIVE, Action.EDIT, Role.EDITOR): S.DRAFT,
    (S.RETURNED, Action.EDIT, Role.EDITOR): S.DRAFT,
    (S.APPROVED, Action.EDIT, Role.EDITOR): S.DRAFT,
    # the executive approves; the approved items go to the offices
    (S.DRAFT, Action.APPROVE, Role.EXECUTIVE): S.APPROVED_BY_EXECUTIVE,
    (S.APPROVED_BY_EXECUTIVE, Action.SUBMIT, Role.EXECUTIVE): S.SUBMITTED,
    (S.APPROVED_BY_EXECUTIVE, Action.SUBMIT, Role.EDITOR): S.SUBMITTED,
    # the agency may take an item back while it waits for the reviewer
    (S.SUBMITTED, Action.WITHDRAW, Role.EDITOR): S.DRAFT,
    (S.SUBMITTED, Action.WITHDRAW, Role.EXECUTIVE): S.DRAFT,
    # the reviewer of a following office decides; an approval can still be returned (a link broke)
    (S.SUBMITTED, Action.REVIEW_APPROVE, Role.REVIEWER): S.APPROVED,
    (S.SUBMITTED, Action.REVIEW_RETURN, Role.REVIEWER): S.RETURNED,
    (S.APPROVED, Action.REVIEW_RETURN, Role.REVIEWER): S.RETURNED,
}

# In the words of the people who use it (the e-mails and the log are in Thai whatever the UI language).
ACTION_TH = {
    Action.EDIT: "แก้ไขข้อมูล",
    Action.APPROVE: "ผู้บริหารอนุมัติ",
    Action.SUBMIT: "ส่งให้หน่วยงานกำกับติดตามตรวจ",
    Action.WITHDRAW: "ขอคืนข้อมูลก่อนตรวจ",
    Action.REVIEW_APPROVE: "ผ่านการตรวจ",
    Action.REVIEW_RETURN: "ส่งกลับให้แก้ไข",
}
ACTION_EN = {
    Action.EDIT: "edit",
    Action.APPROVE: "executive approval",
    Action.SUBMIT: "submission for pre-review",
    Action.WITHDRAW: "withdrawal before review",
    Action.REVIEW_APPROVE: "pass the pre-review",
    Action.REVIEW_RETURN: "return for correction",
}
# As a verb phrase, for the refusals ("อนุมัติข้อ o1 ได้เฉพาะ …").
ACTION_VERB_TH = {
    Action.EDIT: "แก้ไขข้อมูล",
    Action.APPROVE: "อนุมัติ",
    Action.SUBMIT: "ส่งให้หน่วยงานกำกับติดตามตรวจ",
    Action.WITHDRAW: "ขอคืนข้อมูล",
    Action.REVIEW_APPROVE: "ให้ผ่านการตรวจ",
    Action.REVIEW_RETURN: "ส่งกลับให้แก้ไข",
}
ROLE_TH = {Role.EDITOR: "ผู้ดูแลระบบของหน่วยงานหรือฝ่ายเลขานุการ", Role.EXECUTIVE: "ผู้บริหารของหน่วยงาน",
           Role.REVIEWER: "เจ้าหน้าที่หรือผู้ตรวจสอบของหน่วยงานกำกับติดตามที่กำกับติดตามหน่วยงานนี้"}
ROLE_EN = {Role.EDITOR: "the agency's admin or the secretariat", Role.EXECUTIVE: "the agency's executive",
           Role.REVIEWER: "a reviewer of an office that follows the agency"}
STATE_TH = {
    S.DRAFT: "ร่าง",
    S.APPROVED_BY_EXECUTIVE: "ผู้บริหารอนุมัติแล้ว",
    S.SUBMITTED: "ส่งตรวจแล้ว รอผลการตรวจ",
    S.APPROVED: "ผ่านการตรวจ",
    S.RETURNED: "ส่งกลับให้แก้ไข",
}
STATE_EN = {
    S.DRAFT: "draft",
    S.APPROVED_BY_EXECUTIVE: "approved by the executive",
    S.SUBMITTED: "submitted for pre-review",
    S.APPROVED: "passed pre-review",
    S.RETURNED: "returned for correction",
}


class TransitionRefused(Refused):
    """A transition the table does not allow (or that the item is not ready for), in Thai and English."""


@dataclass(frozen=True)
class Allowed:
    to_state: str
    role: str


def roles_for(user, agency) -> set[str]:
    """The workflow roles ``user`` holds for ``agency`` (decided by ``accounts.access``)."""
    roles = set()
    if access.can(user, "edit_evidence", agency):
        roles.add(Role.EDITOR)
    if access.can(user, "approve_evidence", agency):
        roles.add(Role.EXECUTIVE)
    if access.can(user, "review_evidence", agency):
        roles.add(Role.REVIEWER)
    return roles


def allowed(state: str, action: str, roles) -> Allowed | None:
    """The transition for (state, action) open to one of ``roles`` (in the order editor, executive,
    reviewer), or None."""
    for role in Role.ALL:
        if role in roles:
            to_state = TRANSITIONS.get((state, action, role))
            if to_state is not None:
                return Allowed(to_state, role)
    return None


def actions_for(state: str, roles) -> set[str]:
    """Every action open to ``roles`` on an item in ``state``."""
    return {a for (s, a, r) in TRANSITIONS if s == state and r in roles}


def check(state: str, action: str, roles, *, code: str = "") -> Allowed:
    """The transition, or :class:`TransitionRefused` saying who may do it and from which states."""
    found = allowed(state, action, roles)
    if found is not None:
        return found
    if action not in Action.ALL:
        raise TransitionRefused(f"ไม่รู้จักการดำเนินการ “{action}”", f"unknown action “{action}”")
    item_th = f"ข้อ {code}" if code else "ข้อนี้"
    item_en = f"item {code}" if code else "this item"
    who = sorted({r for (_s, a, r) in TRANSITIONS if a == action}, key=Role.ALL.index)
    if not any(r in roles for r in who):
        raise TransitionRefused(
            f"{ACTION_VERB_TH[action]}{item_th} ได้เฉพาะ{' หรือ'.join(ROLE_TH[r] for r in who)}เท่านั้น",
            f"{ACTION_EN[action]} of {item_en}: only {' or '.join(ROLE_EN[r] for r in who)} may do this")
    states = [s for s in State.values if any((s, action, r) in TRANSITIONS for r in roles)]
    raise TransitionRefused(
        f"{item_th}อยู่ในสถานะ “{STATE_TH[state]}” จึง{ACTION_VERB_TH[action]}ไม่ได้ "
        f"(ทำได้เมื่ออยู่ในสถานะ {', '.join('“' + STATE_TH[s] + '”' for s in states)})",
        f"{item_en} is {STATE_EN[state]}: {ACTION_EN[action]} is not possible "
        f"(only when it is {' or '.join(STATE_EN[s] for s in states)})")


def action_label(action: str, lang: str = "th") -> str:
    return (ACTION_EN if lang == "en" else ACTION_TH).get(action, action)


def state_label(state: str, lang: str = "th") -> str:
    return (STATE_EN if lang == "en" else STATE_TH).get(state, state)
