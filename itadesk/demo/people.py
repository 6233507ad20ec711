"""Demo: invited people from ``data/demo-people.csv`` (invented, marked "(สาธิต)", on the demo e-mail domain),
imported through the people import service with invitations recorded but not sent. Running it again changes
nothing (people already there are left as they are)."""

from __future__ import annotations

from pathlib import Path

from itadesk.accounts.importing import apply_people_import, plan_people_import

FILE = Path(__file__).parent / "data" / "demo-people.csv"


def load(say, province) -> int:
    """Import the demo people into ``province`` (as the system); the number of people added."""
    say("Invited people (demo file) …")
    plan = plan_people_import(data=FILE.read_bytes(), filename=FILE.name, province=province, actor=None)
    if plan.errors:
        raise ValueError("demo-people.csv: " + "; ".join(str(e) for e in plan.errors))
    return apply_people_import(actor=None, plan=plan, send=False).invited
