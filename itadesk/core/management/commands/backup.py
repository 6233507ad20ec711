"""``itadesk backup``: the whole installation (database, uploaded and generated files, secret key) in one
archive, consistent while the app runs. See ``itadesk/core/backup.py`` and docs/deploy.md."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from itadesk.core import backup


class Command(BaseCommand):
    help = "Back up the database, the media files and the secret key into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="archive to write (default: ITADESK_BACKUP_DIR/itadesk-<date>.tar.gz)")
        parser.add_argument("--keep", type=int, default=None,
                            help="with the default folder: keep only this many newest archives")

    def handle(self, *args, out=None, keep=None, **opts):
        now = timezone.now()
        if out:
            path = Path(out)
        else:
            folder = Path(settings.ITADESK_BACKUP_DIR)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / backup.backup_name(now)
        if path.is_dir():
            path = path / backup.backup_name(now)
        if not path.parent.is_dir():
            raise CommandError(f"--out: the folder {path.parent} does not exist")
        try:
            manifest = backup.create_backup(connection=connection, out=path, media_root=settings.MEDIA_ROOT,
                                            var_dir=settings.VAR_DIR, now=now)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest.row_counts.values())
        media = sum(1 for name in manifest.files if name.startswith("media/"))
        self.stdout.write(f"{path}: {manifest.vendor} database ({rows} rows in {len(manifest.row_counts)} tables), "
                          f"{media} media files, secret key {'included' if manifest.has_secret_key else 'from the environment (not included)'}")
        if not out and keep is not None:
            for removed in backup.prune_backups(path.parent, keep):
                self.stdout.write(f"removed old backup {removed.name}")
