"""Deadline reminder digests.

    itadesk reminders send [--now "2025-01-24T08:00+07:00"] [--dry-run] [--days 14,7,3,1]
    itadesk reminders preview --milestone CODE --round FISCAL_YEAR [--province CODE] [--now ...] [--agencies]
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from itadesk.accounts.selectors import reach_lines
from itadesk.core.thai import BANGKOK, format_date
from itadesk.cycles.models import Milestone, Round
from itadesk.cycles.reminders import agency_digests, days_until, office_digests, send_due_reminders


def parse_now(value: str | None) -> dt.datetime:
    """ISO 8601 date or date-time; without an offset it is Bangkok local time."""
    if not value:
        return timezone.now()
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise CommandError(f"--now: not an ISO 8601 date/time: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BANGKOK)
    return parsed


def parse_days(value: str | None) -> list[int] | None:
    if not value:
        return None
    try:
        return [int(p) for p in value.split(",") if p.strip()]
    except ValueError as exc:
        raise CommandError(f"--days: comma-separated whole numbers expected: {value!r}") from exc


class Command(BaseCommand):
    help = "Deadline reminder digests by e-mail: send the ones due today, or preview a milestone's."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{send,preview}")
        send = sub.add_parser("send", help="Send the digests due today (each only once).")
        send.add_argument("--now", help='Pretend it is this time, e.g. "2025-01-24T08:00+07:00" '
                                        "(no offset = Bangkok time).")
        send.add_argument("--dry-run", action="store_true", help="Only show who would get what.")
        send.add_argument("--days", help="Override ITADESK_REMINDER_DAYS, e.g. 14,7,3,1.")
        preview = sub.add_parser("preview", help="Print the office digests of one milestone.")
        preview.add_argument("--milestone", required=True, help="Milestone code.")
        preview.add_argument("--round", required=True, type=int, help="Fiscal year (BE), e.g. 2568.")
        preview.add_argument("--province", help="Province DOPA code, when several provinces have the round.")
        preview.add_argument("--now", help="Pretend it is this time (countdowns, days left).")
        preview.add_argument("--agencies", action="store_true", help="Also print the agency digests.")

    def handle(self, *args, **options):
        if options["action"] == "send":
            return self.send(options)
        return self.preview(options)

    def _describe(self, digest) -> str:
        what = (f"{digest.open_count} open agencies" if digest.kind == "office"
                else f"{digest.open_count} open milestones")
        return (f"{digest.scope} {digest.target} · {digest.milestone.code} "
                f"({format_date(digest.milestone.deadline)}) · {digest.days_before} days before · {what}")

    def send(self, options):
        now = parse_now(options.get("now"))
        dry_run = options["dry_run"]
        summary = send_due_reminders(now, dry_run=dry_run, days=parse_days(options.get("days")))
        self.stdout.write(f"Reminders for {format_date(now)} ({now.isoformat()})"
                          f"{' — dry run, nothing sent' if dry_run else ''}")
        by_digest: dict[int, list] = {}
        for delivery in summary.deliveries:
            by_digest.setdefault(id(delivery.digest), []).append(delivery)
        for digest in summary.digests:
            self.stdout.write(self._describe(digest))
            for delivery in by_digest.get(id(digest), []):
                extra = f" ({delivery.error})" if delivery.error else ""
                self.stdout.write(f"    {delivery.outcome:<12} {delivery.recipient}{extra}")
            if not digest.recipients:
                self.stdout.write("    (no recipient with an e-mail address)")
            if digest.skipped_users:
                self.stdout.write(f"    skipped, no e-mail address: {', '.join(digest.skipped_users)}")
        verb = "would send" if dry_run else "sent"
        count = summary.would_send if dry_run else summary.sent
        self.stdout.write(
            f"{len(summary.digests)} digests; {verb} {count} e-mails, {summary.already_sent} already sent, "
            f"{summary.failed} failed; {summary.skipped_no_email} users without e-mail skipped, "
            f"{summary.without_recipients} digests without recipients.")
        if dry_run:
            self.reach()
        if summary.failed:
            raise CommandError(f"{summary.failed} e-mails could not be sent (they will be retried on a re-run).")

    def reach(self):
        """How many participating agencies of each current round no reminder can reach, and where to chase them."""
        for line in reach_lines(Round.objects.filter(is_current=True).select_related("province")):
            self.stdout.write(line)

    def preview(self, options):
        now = parse_now(options.get("now"))
        milestones = Milestone.objects.filter(code=options["milestone"], round__fiscal_year=options["round"])
        if options.get("province"):
            milestones = milestones.filter(round__province__code=options["province"])
        milestones = list(milestones.select_related("round", "round__province"))
        if not milestones:
            raise CommandError(f"No milestone {options['milestone']!r} in a round of fiscal year {options['round']}.")
        if len(milestones) > 1:
            codes = ", ".join(m.round.province.code for m in milestones)
            raise CommandError(f"Several provinces have that round ({codes}): give --province.")
        milestone = milestones[0]
        n = days_until(milestone.deadline, now)
        digests = office_digests(milestone, n, now, include_empty=True)
        if options["agencies"]:
            digests += agency_digests(milestone.round, [(milestone, n)], now)
        if not digests:
            self.stdout.write("No supervising office in this province.")
        for digest in digests:
            self.stdout.write("=" * 78)
            self.stdout.write(f"To: {', '.join(digest.recipients) or '(nobody with an e-mail address)'}")
            if digest.skipped_users:
                self.stdout.write(f"Skipped (no e-mail): {', '.join(digest.skipped_users)}")
            self.stdout.write(f"Subject: {digest.subject}")
            self.stdout.write("")
            if digest.kind == "office" and not digest.open_count:
                self.stdout.write(f"{digest.office}: every agency is done — no digest would be sent.")
                continue
            text, _html = digest.render()
            self.stdout.write(text.rstrip())
