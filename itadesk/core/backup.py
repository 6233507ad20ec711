"""Backup and restore of a whole installation: the database, uploaded and generated files and the
secret key, in one tar archive with a manifest of checksums.

The database is copied with each engine's own consistent-snapshot tool, so a backup can be taken
while the app runs: SQLite's online backup API (the copy is the database as of one instant, also in
WAL mode) and PostgreSQL's ``pg_dump`` (one repeatable-read snapshot, custom format). Installed
frameworks live in the database and come with it. Files under ``MEDIA_ROOT`` are copied after the
database: they are written once and never changed (issued reports, uploads), so a file newer than the
snapshot is harmless and a file the snapshot refers to is already there.

A restore goes into an *empty* installation of the same database engine (a new server, or a drill):
it refuses, and changes nothing, when the target database has rows or the media folder has files,
when the archive is damaged (a checksum differs), or when the backup comes from a newer version of
ITA Desk (migrations the code does not know). After the database is back, ``migrate`` brings it up to
the installed code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from itadesk.core.thai import BANGKOK

FORMAT = "itadesk-backup/1"
MANIFEST = "manifest.json"
# Rows that migrate itself creates: a freshly migrated installation is still "empty".
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission", "django_site",
                      "sqlite_sequence",
                      "cycles_publicholiday"}  # the shipped public holidays, loaded by a data migration


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why (and nothing was changed)."""


@dataclass
class Manifest:
    created_at: str
    vendor: str
    migrations: list[list[str]]
    row_counts: dict[str, int]
    files: dict[str, str] = field(default_factory=dict)  # archive member -> sha256
    has_secret_key: bool = False
    format: str = FORMAT
    itadesk_version: str = ""

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        raw = json.loads(data)
        if raw.get("format") != FORMAT:
            raise BackupError(f"not an ITA Desk backup (format {raw.get('format')!r}, expected {FORMAT!r})")
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("itadesk")
    except PackageNotFoundError:
        return ""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --- the database ----------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: on PATH, else Debian's newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0, reverse=True)
    if not candidates:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client)")
    return str(candidates[0])


def _pg_env(settings_dict: dict) -> tuple[list[str], dict]:
    env = dict(os.environ)
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(cmd: list[str], env: dict) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(cmd[0]).name} failed: {done.stderr.strip() or done.returncode}")


def dump_database(connection, out: Path) -> None:
    """Write a consistent copy of the database behind ``connection`` to ``out``."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)  # the online backup API: one consistent instant
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        s = connection.settings_dict
        args, env = _pg_env(s)
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *args,
              "--file", str(out), s["NAME"]], env)
    else:
        raise BackupError(f"backups of a {connection.vendor} database are not supported")


def user_tables_with_rows(connection) -> dict[str, int]:
    """Row counts of every table that has rows, apart from what ``migrate`` itself fills."""
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in BOOKKEEPING_TABLES:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            n = cursor.fetchone()[0]
            if n:
                counts[table] = n
    return counts


def applied_migrations(connection) -> list[list[str]]:
    if "django_migrations" not in connection.introspection.table_names():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


# --- backup ------------------------------------------------------------------------------------------

def _secret_key_file(var_dir: Path) -> Path:
    return Path(var_dir) / "secret_key"


def create_backup(*, connection, out: Path, media_root: Path, var_dir: Path, now=None) -> Manifest:
    """Write the archive ``out`` (written to a temporary name and renamed, so a failed backup leaves no
    half-written file under the final name). Returns its manifest."""
    out = Path(out)
    now = now or dt.datetime.now(dt.UTC)
    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".pgdump"
    db_member = f"database{suffix}"
    with tempfile.TemporaryDirectory(prefix="itadesk-backup-", dir=out.parent) as tmp:
        tmp = Path(tmp)
        db_file = tmp / db_member
        migrations = applied_migrations(connection)
        dump_database(connection, db_file)
        manifest = Manifest(created_at=now.isoformat(), vendor=connection.vendor, migrations=migrations,
                            row_counts=user_tables_with_rows(connection), itadesk_version=_version())
        partial = tmp / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            manifest.files[db_member] = _sha256(db_file)
            tar.add(db_file, arcname=db_member)
            key = _secret_key_file(var_dir)
            if key.is_file():
                manifest.has_secret_key = True
                manifest.files["secret_key"] = _sha256(key)
                tar.add(key, arcname="secret_key")
            media_root = Path(media_root)
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file() and not path.is_symlink():
                        name = "media/" + path.relative_to(media_root).as_posix()
                        manifest.files[name] = _sha256(path)
                        tar.add(path, arcname=name, recursive=False)
            data = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, out)
    return manifest


def prune_backups(directory: Path, keep: int, pattern: str = "itadesk-*.tar.gz") -> list[Path]:
    """Remove all but the ``keep`` newest archives (by name, which starts with the date) in
    ``directory``; returns the removed paths."""
    archives = sorted(Path(directory).glob(pattern))
    removed = archives[:-keep] if keep > 0 else archives
    for path in removed:
        path.unlink()
    return removed


def backup_name(now: dt.datetime) -> str:
    """``itadesk-2570-01-31-0200.tar.gz``: Bangkok time, Buddhist-era year (sorts by date)."""
    local = now.astimezone(BANGKOK)
    return f"itadesk-{local.year + 543:04d}-{local:%m-%d-%H%M%S}.tar.gz"


# --- restore -----------------------------------------------------------------------------------------

def read_archive(archive: Path, into: Path) -> Manifest:
    """Extract ``archive`` into ``into`` (only regular files and folders, nothing outside it) and check
    every member against the manifest. BackupError on any difference."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    try:
        with tarfile.open(archive, "r:*") as tar:
            try:
                manifest = Manifest.from_json(tar.extractfile(MANIFEST).read())
            except KeyError:
                raise BackupError(f"{archive}: no {MANIFEST} — not an ITA Desk backup") from None
            members = [m for m in tar.getmembers() if m.name != MANIFEST]
            for m in members:
                if not (m.isfile() or m.isdir()):
                    raise BackupError(f"{archive}: member {m.name!r} is not a regular file")
            tar.extractall(into, members=members, filter="data")
    except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"{archive}: cannot be read ({exc})") from exc
    for name, digest in manifest.files.items():
        path = into / name
        if not path.is_file():
            raise BackupError(f"{archive}: {name} is listed in the manifest but missing")
        if _sha256(path) != digest:
            raise BackupError(f"{archive}: {name} is damaged (its checksum differs from the manifest)")
    return manifest


def _check_target_empty(connection, media_root: Path) -> None:
    rows = user_tables_with_rows(connection)
    if rows:
        table, n = next(iter(sorted(rows.items())))
        raise BackupError(f"the target database is not empty (table {table}: {n} rows, and "
                          f"{len(rows) - 1} more tables with rows); restore only into an empty installation")
    media_root = Path(media_root)
    if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(f"the media folder {media_root} is not empty; restore only into an empty installation")


def _check_migrations(manifest: Manifest, known: set[tuple[str, str]]) -> None:
    unknown = [f"{app}.{name}" for app, name in manifest.migrations if (app, name) not in known]
    if unknown:
        raise BackupError("the backup comes from a newer version of ITA Desk (migrations unknown here: "
                          + ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "") + "); upgrade first")


def restore_backup(*, connection, archive: Path, media_root: Path, var_dir: Path,
                   known_migrations: set[tuple[str, str]], keep_secret_key: bool = False) -> Manifest:
    """Restore ``archive`` into the empty installation behind ``connection``. Nothing is changed when a
    check fails. The caller runs ``migrate`` afterwards."""
    media_root, var_dir = Path(media_root), Path(var_dir)
    with tempfile.TemporaryDirectory(prefix="itadesk-restore-", dir=var_dir) as tmp:
        tmp = Path(tmp)
        manifest = read_archive(archive, tmp)
        if manifest.vendor != connection.vendor:
            raise BackupError(f"the backup is of a {manifest.vendor} database and this installation uses "
                              f"{connection.vendor}; restore into an installation of the same kind")
        _check_migrations(manifest, known_migrations)
        _check_target_empty(connection, media_root)
        if connection.vendor == "sqlite":
            _restore_sqlite(connection, tmp / "database.sqlite3")
        else:
            _restore_postgresql(connection, tmp / "database.pgdump")
        if (tmp / "media").is_dir():
            media_root.mkdir(parents=True, exist_ok=True)
            for path in sorted((tmp / "media").rglob("*")):
                if path.is_file():
                    target = media_root / path.relative_to(tmp / "media")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(path, target)
        if manifest.has_secret_key and not keep_secret_key:
            key = _secret_key_file(var_dir)
            shutil.copyfile(tmp / "secret_key", key)
            key.chmod(0o600)
    return manifest


def _restore_sqlite(connection, source: Path) -> None:
    """Copy the snapshot into the live database through SQLite's backup API (page by page, in one
    transaction of the target), so the file, its WAL and every open handle stay consistent."""
    connection.ensure_connection()
    src = sqlite3.connect(source)
    try:
        src.backup(connection.connection)
    finally:
        src.close()


def _restore_postgresql(connection, source: Path) -> None:
    s = connection.settings_dict
    with connection.cursor() as cursor:  # the target has no rows: drop the empty tables migrate made
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    connection.close()
    args, env = _pg_env(s)
    _run([_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
          *args, "--dbname", s["NAME"], str(source)], env)
