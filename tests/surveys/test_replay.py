"""Property: replaying the stakeholder data's log gives what the services left, whether the log carries the
values (entered on the pages) or not (an import, the demo) — then the row's values stand in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from itadesk.surveys.selectors import replay

values = st.fixed_dictionaries({"internal_count": st.integers(1, 5000), "external_people": st.integers(0, 10**6)})
step = st.one_of(st.tuples(st.just("save"), values), st.tuples(st.just("approve"), st.booleans()),
                 st.tuples(st.just("unlock"), st.none()))


def _run(steps):
    """The services as a tiny model: (log with values, final row). Saving is refused while approved."""
    row, state, late, log = None, None, False, []
    for kind, arg in steps:
        if kind == "save" and state != "approved":
            row, state, late = arg, "draft", False
            log.append(("entered" if len(log) == 0 else "changed", dict(arg), False))
        elif kind == "approve" and state == "draft":
            state, late = "approved", arg
            log.append(("approved", dict(row), arg))
        elif kind == "unlock" and state == "approved":
            state, late = "draft", False
            log.append(("unlocked", dict(row), False))
    return log, row, state, late


@given(st.lists(step, max_size=12))
def test_the_replay_is_what_the_services_left(steps):
    log, row, state, late = _run(steps)
    got = replay(log)
    if not log:
        assert got == {"values": None, "state": "draft", "approved_late": False}
        return
    assert (got["values"], got["state"], got["approved_late"]) == (row, state, late)
    # the same log without values (an import, the demo): the state is kept, the values are the row's
    bare = replay([(action, {}, lt) for action, _values, lt in log])
    assert bare["values"] is None and (bare["state"], bare["approved_late"]) == (state, late)
    # an approval that carries no values keeps the values before it
    if state == "approved":
        mixed = replay([(a, v if a != "approved" else {}, lt) for a, v, lt in log])
        assert mixed["values"] == row
