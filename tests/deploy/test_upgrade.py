"""``itadesk upgrade``: migrate, collectstatic, then restart itadesk.target through systemctl when systemd
knows it, or say what to restart. systemd cannot run here, so a stand-in ``systemctl`` script on PATH
records how it is called (the command's own subprocess calls are real)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from itadesk.core.management.commands import upgrade

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("upgrade", *args, "-v", "0", stdout=out)
    return out.getvalue()


def _systemctl(tmp_path: Path, monkeypatch, *, load_state: str, restart_exit: int = 0) -> Path:
    """A `systemctl` on PATH that logs its arguments; the machine looks booted with systemd."""
    calls = tmp_path / "calls"
    script = tmp_path / "bin" / "systemctl"
    script.parent.mkdir()
    script.write_text(f"""#!/bin/sh
echo "$*" >> {calls}
case "$1" in
    show) echo {load_state} ;;
    restart) echo "Job for $2 failed." >&2; exit {restart_exit} ;;
esac
""")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{script.parent}{os.pathsep}{os.environ['PATH']}")
    booted = tmp_path / "run-systemd-system"
    booted.mkdir()
    monkeypatch.setattr(upgrade, "SYSTEMD_RUN_DIR", booted)
    monkeypatch.setattr(upgrade.os, "geteuid", lambda: 0)
    return calls


def test_migrates_and_collects_static_files_without_restart():
    out = _run("--no-restart")
    assert "1/3 Applying database migrations" in out and "2/3 Collecting static files" in out
    assert "Restart skipped" in out
    assert (Path(settings.STATIC_ROOT) / "admin").is_dir()


def test_without_systemd_says_what_to_restart(tmp_path, monkeypatch):
    monkeypatch.setattr(upgrade, "SYSTEMD_RUN_DIR", tmp_path / "absent")
    out = _run()
    assert "Not restarted" in out and "itadesk run_huey" in out and "gunicorn" in out


def test_restarts_the_target_under_systemd(tmp_path, monkeypatch):
    calls = _systemctl(tmp_path, monkeypatch, load_state="loaded")
    out = _run()
    assert calls.read_text().splitlines() == ["show --property=LoadState --value itadesk.target",
                                              "restart itadesk.target"]
    assert "itadesk.target restarted" in out


def test_unit_not_installed_is_not_restarted(tmp_path, monkeypatch):
    calls = _systemctl(tmp_path, monkeypatch, load_state="not-found")
    out = _run()
    assert "restart" not in calls.read_text()
    assert "Not restarted: itadesk.target is not a systemd unit here" in out


def test_failed_restart_is_an_error_that_says_what_to_do(tmp_path, monkeypatch):
    _systemctl(tmp_path, monkeypatch, load_state="loaded", restart_exit=1)
    with pytest.raises(CommandError) as failed:
        _run()
    assert "Job for itadesk.target failed" in str(failed.value)
    assert "sudo systemctl restart itadesk.target" in str(failed.value)


def test_as_the_app_user_it_goes_through_the_sudoers_rule(monkeypatch):
    monkeypatch.setattr(upgrade.os, "geteuid", lambda: 1000)
    assert upgrade.restart_command("itadesk.target") == ["sudo", "-n", "/usr/bin/systemctl", "restart",
                                                         "itadesk.target"]
