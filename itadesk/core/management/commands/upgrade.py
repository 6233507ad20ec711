"""``itadesk upgrade``: after a new version of the code is installed, bring the installation up to it:
apply the database migrations, collect the static files, then restart the web app and the job workers so
that they load the new code — through systemd when they run under it (the units of deploy/, all
``PartOf=itadesk.target``), otherwise it says what to restart. See docs/deploy.md."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

UNIT = "itadesk.target"
# Present when the machine was booted with systemd (sd_booted(3)).
SYSTEMD_RUN_DIR = Path("/run/systemd/system")


def systemd_has_unit(unit: str) -> bool:
    """True when systemd manages this machine and knows the unit (deploy/install.sh installed it)."""
    systemctl = shutil.which("systemctl")
    if not SYSTEMD_RUN_DIR.is_dir() or systemctl is None:
        return False
    result = subprocess.run([systemctl, "show", "--property=LoadState", "--value", unit],
                            capture_output=True, text=True, timeout=60)
    return result.returncode == 0 and result.stdout.strip() == "loaded"


def restart_command(unit: str) -> list[str]:
    """As root: systemctl. As the app's user: through the sudoers rule deploy/install.sh writes
    (exactly ``/usr/bin/systemctl restart itadesk.target``, no password)."""
    if os.geteuid() == 0:
        return [shutil.which("systemctl") or "systemctl", "restart", unit]
    return ["sudo", "-n", "/usr/bin/systemctl", "restart", unit]


class Command(BaseCommand):
    help = ("After installing a new version: apply the migrations, collect the static files and restart the "
            "web app and the job workers (via systemd when they run under it).")

    def add_arguments(self, parser):
        parser.add_argument("--no-restart", action="store_true",
                            help="only migrate and collect the static files")
        parser.add_argument("--unit", default=UNIT, help=f"the systemd unit to restart (default {UNIT})")

    def handle(self, *args, no_restart=False, unit=UNIT, **opts):
        verbosity = opts.get("verbosity", 1)
        self.stdout.write("1/3 Applying database migrations …")
        call_command("migrate", interactive=False, verbosity=verbosity, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write("2/3 Collecting static files …")
        call_command("collectstatic", interactive=False, verbosity=min(verbosity, 1), stdout=self.stdout,
                     stderr=self.stderr)
        if no_restart:
            self.stdout.write("3/3 Restart skipped (--no-restart).")
            return
        if not systemd_has_unit(unit):
            self.stdout.write(self.style.WARNING(
                f"3/3 Not restarted: {unit} is not a systemd unit here. Restart the web app (gunicorn or "
                "`itadesk serve`) and every job worker (`itadesk run_huey`) yourself so that they load the "
                "new code."))
            return
        command = restart_command(unit)
        self.stdout.write(f"3/3 Restarting: {' '.join(command)}")
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip()
            raise CommandError(f"Restarting {unit} failed (exit code {result.returncode}): {detail}\n"
                               f"The database and static files are up to date; restart by hand: "
                               f"sudo systemctl restart {unit}")
        self.stdout.write(self.style.SUCCESS(f"Upgraded; {unit} restarted."))
