"""``itadesk restore FILE``: put a backup made by ``itadesk backup`` into an empty installation of the
same database engine, then migrate it to the installed code. Refuses, changing nothing, when the
target has data, the archive is damaged, or the backup comes from a newer version."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from itadesk.core import backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty installation (same database engine), then migrate."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz written by itadesk backup")
        parser.add_argument("--keep-secret-key", action="store_true",
                            help="keep this installation's secret key (sessions and links signed with the "
                                 "old key stop working)")

    def handle(self, *args, archive, keep_secret_key=False, **opts):
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        try:
            manifest = backup.restore_backup(connection=connection, archive=archive,
                                             media_root=settings.MEDIA_ROOT, var_dir=settings.VAR_DIR,
                                             known_migrations=known, keep_secret_key=keep_secret_key)
        except backup.BackupError as exc:
            raise CommandError(f"restore refused, nothing was changed: {exc}") from exc
        connection.close()
        call_command("migrate", interactive=False, verbosity=0)
        rows = sum(manifest.row_counts.values())
        self.stdout.write(f"restored the backup of {manifest.created_at}: {rows} rows in "
                          f"{len(manifest.row_counts)} tables, "
                          f"{sum(1 for n in manifest.files if n.startswith('media/'))} media files")
        if manifest.has_secret_key and not keep_secret_key and os.environ.get("ITADESK_SECRET_KEY"):
            self.stdout.write(self.style.WARNING(
                "ITADESK_SECRET_KEY is set in the environment and wins over the restored key file: "
                "set it to the old installation's key, or links and sessions signed before will not verify"))
