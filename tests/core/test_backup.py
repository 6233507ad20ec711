"""Backup and restore (``itadesk backup`` / ``itadesk restore``): a real installation is backed up, restored
into an empty one of the same engine, and every table's rows, every media file and the secret key come
back equal; bad archives and non-empty targets are refused with nothing changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from itadesk.core import backup

ROOT = Path(__file__).resolve().parents[2]


def _itadesk(var_dir: Path, *args, database_url: str | None = None, check=True) -> subprocess.CompletedProcess:
    return _python(var_dir, "-m", "itadesk.cli", *args, database_url=database_url, check=check)


#: A demo installation made as ``itadesk migrate`` then ``itadesk demo`` make it, in one process (each process
#: first spends seconds loading the app; backup and restore, what is tested here, each run in their own).
DEMO_INSTALLATION = """
import django
from django.core.management import call_command
django.setup()
call_command("migrate", interactive=False, verbosity=0)
call_command("demo")
"""


def _python(var_dir: Path, *args, database_url: str | None = None, check=True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ITADESK_SECRET_KEY"}}
    env.update(ITADESK_VAR_DIR=str(var_dir), PYTHAINLP_OFFLINE="1", DJANGO_SETTINGS_MODULE="itadesk.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def _sqlite_rows(path: Path) -> dict[str, list]:
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        con.close()


def _pg_rows(url: str) -> dict[str, list]:
    import psycopg

    with psycopg.connect(url) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema='public' "
            "AND table_type='BASE TABLE' ORDER BY table_name")]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def pg_databases():
    """Two brand-new databases on the test PostgreSQL server (source and target), dropped afterwards."""
    import psycopg
    from psycopg import sql

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"itadesk_backup_{uuid.uuid4().hex[:8]}_{side}" for side in ("src", "dst")]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        for name in names:
            con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield [f"{base}/{name}" for name in names]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as con:
        for name in names:
            con.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.mark.django_db
def test_a_demo_installation_comes_back_equal(tmp_path, request):
    """The round trip on the engine of this test run: demo data and a media file, backed up, restored
    into an empty installation; then a second restore into the now non-empty one is refused."""
    source, target = tmp_path / "source", tmp_path / "target"
    source.mkdir()
    target.mkdir()
    if connection.vendor == "postgresql":
        src_url, dst_url = request.getfixturevalue("pg_databases")
    else:
        src_url = dst_url = None
    _python(source, "-c", DEMO_INSTALLATION, database_url=src_url)
    (source / "media" / "reports" / "2570").mkdir(parents=True)
    (source / "media" / "reports" / "2570" / "รายงาน.pdf").write_bytes(b"%PDF-1.7 issued report")
    archive = tmp_path / "backup.tar.gz"

    done = _itadesk(source, "backup", "--out", str(archive), database_url=src_url)
    assert "secret key included" in done.stdout
    restored = _itadesk(target, "restore", str(archive), database_url=dst_url)
    assert "restored the backup" in restored.stdout

    if connection.vendor == "postgresql":
        before, after = _pg_rows(src_url), _pg_rows(dst_url)
    else:
        before, after = _sqlite_rows(source / "itadesk.sqlite3"), _sqlite_rows(target / "itadesk.sqlite3")
    assert before.keys() == after.keys()
    assert sum(len(rows) for rows in before.values()) > 1000  # the demo, not an empty database
    for table in before:
        assert before[table] == after[table], table
    assert _files(target / "media") == _files(source / "media") != {}
    assert (target / "secret_key").read_text() == (source / "secret_key").read_text()

    again = _itadesk(target, "restore", str(archive), database_url=dst_url, check=False)
    assert again.returncode != 0
    assert "nothing was changed" in again.stderr and "not empty" in again.stderr
    if connection.vendor == "postgresql":
        assert _pg_rows(dst_url) == after
    else:
        assert _sqlite_rows(target / "itadesk.sqlite3") == after


# --- archives that must be refused ---------------------------------------------------------------------

def _archive(path: Path, members: dict[str, bytes], manifest: dict | None = None, *, lie: dict | None = None):
    files = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    files.update(lie or {})
    manifest = manifest or {"format": backup.FORMAT, "created_at": "2026-12-06T00:00:00+00:00",
                            "vendor": connection.vendor, "migrations": [], "row_counts": {}, "files": files}
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {**members, backup.MANIFEST: json.dumps(manifest).encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_damaged_member_is_refused(tmp_path):
    archive = _archive(tmp_path / "a.tar.gz", {"media/x.pdf": b"changed"},
                       lie={"media/x.pdf": hashlib.sha256(b"original").hexdigest()})
    with pytest.raises(backup.BackupError, match="media/x.pdf is damaged"):
        backup.read_archive(archive, tmp_path / "out")


def test_a_member_outside_the_folder_is_refused(tmp_path):
    archive = _archive(tmp_path / "a.tar.gz", {"../escape.txt": b"x"})
    with pytest.raises(backup.BackupError, match="cannot be read"):
        backup.read_archive(archive, tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists()


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        info = tarfile.TarInfo("readme.txt")
        tar.addfile(info, io.BytesIO(b""))
    with pytest.raises(backup.BackupError, match="not an ITA Desk backup"):
        backup.read_archive(other, tmp_path / "out")
    (tmp_path / "junk.tar.gz").write_bytes(b"not a tar file")
    with pytest.raises(backup.BackupError, match="cannot be read"):
        backup.read_archive(tmp_path / "junk.tar.gz", tmp_path / "out")


@pytest.mark.django_db
def test_a_backup_of_a_newer_version_or_another_engine_is_refused(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    db_name = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"
    newer = {"format": backup.FORMAT, "created_at": "x", "vendor": connection.vendor,
             "migrations": [["cycles", "9999_from_the_future"]], "row_counts": {},
             "files": {db_name: hashlib.sha256(b"db").hexdigest()}}
    archive = _archive(tmp_path / "n.tar.gz", {db_name: b"db"}, newer)
    with pytest.raises(backup.BackupError, match="newer version.*cycles.9999_from_the_future"):
        backup.restore_backup(connection=connection, archive=archive, media_root=tmp_path / "media",
                              var_dir=tmp_path, known_migrations=set())
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = _archive(tmp_path / "o.tar.gz", {}, {**newer, "vendor": other, "migrations": [], "files": {}})
    with pytest.raises(backup.BackupError, match=f"backup is of a {other} database"):
        backup.restore_backup(connection=connection, archive=archive, media_root=tmp_path / "media",
                              var_dir=tmp_path, known_migrations=set())


@pytest.mark.django_db
def test_a_target_with_data_is_refused_before_anything_changes(tmp_path):
    from tests.factories import AgencyFactory

    AgencyFactory()
    db_name = "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"
    archive = _archive(tmp_path / "a.tar.gz", {db_name: b"db", "media/new.pdf": b"x"})
    with pytest.raises(backup.BackupError, match="target database is not empty.*registry_agency"):
        backup.restore_backup(connection=connection, archive=archive, media_root=tmp_path / "media",
                              var_dir=tmp_path, known_migrations=set())
    assert not (tmp_path / "media").exists()


# --- the nightly job and its names ---------------------------------------------------------------------

@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)))
def test_archive_names_are_bangkok_buddhist_era_and_sort_by_time(moment):
    name = backup.backup_name(moment)
    local = moment + dt.timedelta(hours=7)
    assert name == f"itadesk-{local.year + 543}-{local:%m-%d-%H%M%S}.tar.gz"
    later = backup.backup_name(moment + dt.timedelta(seconds=1))
    assert later > name


def test_an_archive_written_at_2330_utc_is_named_for_the_next_bangkok_day():
    assert backup.backup_name(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)) == "itadesk-2570-01-01-063000.tar.gz"


def test_pruning_keeps_the_newest(tmp_path):
    names = [backup.backup_name(dt.datetime(2026, 12, d, 18, 30, tzinfo=dt.UTC)) for d in range(1, 8)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("kept")
    removed = backup.prune_backups(tmp_path, 3)
    assert [p.name for p in removed] == names[:4]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*names[4:], "notes.txt"])


@pytest.mark.django_db(transaction=True)
def test_the_nightly_job_writes_an_archive_that_restores_and_prunes(tmp_path, settings):
    from itadesk.core.tasks import nightly_backup
    from tests.factories import AgencyFactory

    AgencyFactory(name_th="เทศบาลตำบลทดสอบสำรองข้อมูล")
    settings.ITADESK_BACKUP_DIR = tmp_path / "backups"
    settings.ITADESK_BACKUP_KEEP = 2
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ITADESK_BACKUP_DIR.mkdir()
    for day in (1, 2):
        (settings.ITADESK_BACKUP_DIR / backup.backup_name(dt.datetime(2026, 11, day, tzinfo=dt.UTC))).write_bytes(b"")
    summary = nightly_backup()
    archives = sorted(settings.ITADESK_BACKUP_DIR.iterdir())
    assert len(archives) == 2 and summary["removed"] == 1 and Path(summary["archive"]) == archives[-1]
    manifest = backup.read_archive(archives[-1], tmp_path / "check")
    assert manifest.row_counts["registry_agency"] == 1
    if connection.vendor == "sqlite":
        con = sqlite3.connect(tmp_path / "check" / "database.sqlite3")
        assert con.execute("SELECT name_th FROM registry_agency").fetchone() == ("เทศบาลตำบลทดสอบสำรองข้อมูล",)
        con.close()
