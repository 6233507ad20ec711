"""``itadesk demo``: load the Loei FY2568 demonstration into the configured database (idempotent)."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from itadesk.demo.loader import DEMO_MARKER, account_rows, load_demo

GROUP_LABELS = {
    "provinces": "provinces",
    "districts": "districts",
    "agencies": "agencies",
    "offices": "supervising offices",
    "oversight_rules": "oversight rules",
    "rounds": "rounds",
    "milestones": "milestones",
    "missions": "missions",
    "participations": "participating agencies",
    "coaching": "  of which need coaching",
    "progress": "progress rows (invented)",
    "committee_members": "committee members",
    "users": "demo accounts",
    "memberships": "roles of the demo accounts",
    "frameworks": "framework versions",
    "results": "past results FY2566–2567 (synthetic)",
    "current_rounds": "round in progress FY2570 (deadlines from today)",
    "current_progress": "  its progress rows (invented)",
}


def _width(text: str) -> int:
    """Columns a string takes on a terminal: Thai vowel and tone marks above/below take none."""
    return sum(1 for c in text if unicodedata.category(c) not in ("Mn", "Me", "Cf"))


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    line = lambda cells: "  ".join(_pad(str(c), w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


class Command(BaseCommand):
    help = ("Load the Loei FY2568 demonstration (real agencies and offices, invented progress, demo accounts). "
            "Running it again creates nothing new and changes nothing.")

    def handle(self, *args, **options):
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database has unapplied migrations: run `itadesk migrate` first.")

        verbose = options["verbosity"] >= 2
        counts = load_demo(stdout=self.stdout if verbose else None)

        out = self.stdout
        created_any = any(c["created"] for c in counts.values())
        out.write(self.style.SUCCESS("Loei FY2568 demonstration loaded."
                                     if created_any else "Loei FY2568 demonstration: already complete, nothing changed."))
        rows = [[GROUP_LABELS.get(group, group), str(c["created"]), str(c["total"])] for group, c in counts.items()]
        for line in _table(["", "new", "total"], rows):
            out.write(line)
        out.write(f"Progress is invented for the demonstration; every such note starts with {DEMO_MARKER}.")
        out.write("Past results are synthetic (Loei's real scores are not public); the analysis pages say so.")
        out.write("")

        url = settings.SITE_URL.rstrip("/") + "/"
        out.write(f"Open {url} and log in as one of these accounts:")
        accounts = account_rows()
        for line in _table(["username", "password", "role", "applies to"],
                           [[a["username"], a["password"], a["role"], a["applies_to"]] for a in accounts]):
            out.write(line)
        out.write("Passwords are set only when an account is created; one changed since is left as it is.")
