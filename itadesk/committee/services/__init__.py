"""Every write of the committee's work: one transaction, one audit event each.

The minutes are a state machine (``TRANSITIONS``): draft → reviewed → adopted, and reviewed → draft
to correct them. A meeting's content (details, agenda, attendance, resolutions, attachments) can be
changed only while its minutes are a draft. Adoption happens at a later meeting: under that
meeting's agenda item 2 (adoption of the previous minutes) or with the adopting meeting named.

The writes live in ``meetings`` (members, meetings, agenda, attendance, minutes), ``actions`` (action items,
the agencies asked, their updates) and ``problems`` (problems and obstacles); this module re-exports them, so
callers write ``services.save_meeting``.
"""

from itadesk.committee.services.actions import (  # noqa: F401 — re-exported
    ACTION_FIELDS,
    ACTION_FILE_EXTENSIONS,
    ACTION_FILE_MAX_BYTES,
    ACTION_TRANSITIONS,
    TARGET_TRANSITIONS,
    _step_label,
    add_action_note,
    add_targets,
    check_action_file,
    create_action,
    move_target,
    save_action,
    set_action_status,
)
from itadesk.committee.services.meetings import (  # noqa: F401 — re-exported
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    ATTENDANCE_FIELDS,
    DEFAULT_RESOLUTION_TEXT,
    ITEM_FIELDS,
    MEETING_FIELDS,
    MEMBER_FIELDS,
    TRANSITIONS,
    TransitionRefused,
    add_attachment,
    adopt_minutes,
    check_attachment,
    check_number,
    delete_attachment,
    delete_attendance,
    delete_item,
    delete_meeting,
    move_item,
    move_member,
    normalize_number,
    record_all_members_present,
    return_minutes,
    review_minutes,
    save_attendance,
    save_item,
    save_meeting,
    save_member,
)
from itadesk.committee.services.problems import (  # noqa: F401 — re-exported
    PROBLEM_FIELDS,
    save_problem,
    set_problem_status,
)
