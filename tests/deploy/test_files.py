"""The generated production files and deploy/install.sh, as far as they can be checked without systemd and
a real domain: unit files parse with the right ExecStart/User/EnvironmentFile (and pass
``systemd-analyze verify``), the Caddyfile passes ``caddy validate``, the logrotate rule ``logrotate -d``,
the sudoers rule ``visudo -c``; install.sh passes ``bash -n`` and shellcheck, and its ``--dry-run``
prints every step and changes nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.deploy.stack import DEPLOY, ROOT, exec_start, load_render, parse_unit, read_env_file, unit_nice

render = load_render()
UNITS = ("itadesk-web.service", "itadesk-worker.service", "itadesk-worker@.service")


def needs(tool: str):
    return pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} is not installed "
                              "(scripts/ensure-system.sh installs it)")


@pytest.fixture(scope="module")
def server_files():
    return render.render(render.Layout(domain="ita.example.go.th", cores=4, email="admin@example.go.th"))


def test_units_run_the_app_as_its_user_with_the_settings_file(server_files):
    web = parse_unit(server_files["itadesk-web.service"])["Service"]
    assert exec_start(server_files["itadesk-web.service"])[:2] == ["/opt/itadesk/venv/bin/gunicorn",
                                                                   "itadesk.wsgi:application"]
    argv = exec_start(server_files["itadesk-web.service"])
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8000"
    # 4 cores: two processes a core, 2 threads each
    assert (argv[argv.index("--workers") + 1], argv[argv.index("--threads") + 1]) == ("8", "2")
    # errors to the unit's log; requests only to Caddy's access log (Caddyfile), not a second time here
    assert argv[argv.index("--error-logfile") + 1] == "-" and "--access-logfile" not in argv
    assert "log {" in server_files["Caddyfile"]
    # gunicorn keeps an idle connection from Caddy longer than Caddy does (else a request written to one as it
    # is closed fails with 502; test_stack.py sends forms after pauses)
    kept_by_caddy = re.search(r"transport http \{[^}]*\bkeepalive (\d+)s", server_files["Caddyfile"])
    # (gunicorn looks for idle connections to close about once a second: at least 3 s more)
    assert kept_by_caddy and int(argv[argv.index("--keep-alive") + 1]) >= int(kept_by_caddy[1]) + 3
    for name in UNITS:
        service = parse_unit(server_files[name])["Service"]
        assert (service["User"], service["Group"]) == ("itadesk", "itadesk")
        assert service["EnvironmentFile"] == "/etc/itadesk/itadesk.env"
        assert service["WorkingDirectory"] == "/var/lib/itadesk"
        assert parse_unit(server_files[name])["Unit"]["PartOf"] == "itadesk.target"
    assert web["Type"] == "notify"
    for name in UNITS[1:]:
        argv = exec_start(server_files[name], instance="3")
        assert argv[:2] == ["/opt/itadesk/venv/bin/itadesk", "run_huey"]
        assert parse_unit(server_files[name])["Service"]["KillSignal"] == "SIGINT"  # let jobs finish
        assert unit_nice(server_files[name]) == 10  # below the web process, which runs at the default 0
    assert unit_nice(server_files["itadesk-web.service"]) is None
    # Only the first worker puts the periodic jobs on the queue, or each would be run once per worker.
    assert "--no-periodic" not in exec_start(server_files["itadesk-worker.service"])
    assert "--no-periodic" in exec_start(server_files["itadesk-worker@.service"], instance="3")
    assert parse_unit(server_files["itadesk.target"])["Unit"]["Wants"].split() == [
        "itadesk-web.service", "itadesk-worker.service", "itadesk-worker@2.service"]


def test_settings_file(server_files):
    env = read_env_file(server_files["itadesk.env"])
    assert env == {
        "ITADESK_SITE_URL": "https://ita.example.go.th", "DATABASE_URL": "postgres:///itadesk",
        "ITADESK_REDIS_URL": "redis://127.0.0.1:6379/0", "ITADESK_VAR_DIR": "/var/lib/itadesk",
        "ITADESK_BACKUP_DIR": "/var/backups/itadesk", "ITADESK_TRUSTED_PROXIES": "127.0.0.1,::1",
        "ITADESK_LOG_LEVEL": "INFO", "PYTHAINLP_OFFLINE": "1"}
    assert "SECRET" not in "".join(env), "the secret key stays in the data folder, not in the settings file"


def test_every_placeholder_is_filled(server_files):
    for name, text in server_files.items():
        assert "{{" not in text and "}}" not in text, name


def test_sudoers_allows_exactly_what_upgrade_runs(server_files):
    from itadesk.core.management.commands.upgrade import UNIT

    rule = [line for line in server_files["sudoers"].splitlines() if line and not line.startswith("#")]
    assert rule == [f"itadesk ALL=(root) NOPASSWD: /usr/bin/systemctl restart {UNIT}"]


@given(st.integers(min_value=1, max_value=256))
def test_sizing_follows_the_cores(cores):
    size = render.sizing(cores)
    assert size["processes"] == 2 * cores and size["threads"] == 2
    assert size["workers"] >= 2 and size["workers"] <= max(2, cores)
    layout = render.Layout(domain="ita.example.go.th", cores=cores)
    wants = parse_unit(render.render(layout)["itadesk.target"])["Unit"]["Wants"].split()
    assert wants == ["itadesk-web.service", "itadesk-worker.service",
                     *[f"itadesk-worker@{n}.service" for n in range(2, size["workers"] + 1)]]


@pytest.mark.parametrize("domain", ["", "https://ita.example.go.th", "ita.example.go.th:443", "ita", "-x.go.th",
                                    "ita example.go.th", "ita.example.go.th/"])
def test_a_bad_domain_is_refused(domain):
    with pytest.raises(ValueError, match="not a domain name"):
        render.Layout(domain=domain)


@pytest.mark.parametrize("email", ["admin", "a@b", "admin@example.go.th }\n:80 {", "a b@example.go.th"])
def test_a_bad_email_is_refused(email):
    """The address goes into the Caddyfile's global options: nothing else may get in with it."""
    with pytest.raises(ValueError, match="not an e-mail address"):
        render.Layout(domain="ita.example.go.th", email=email)


def test_the_email_goes_into_caddys_global_options():
    caddyfile = render.render(render.Layout(domain="ita.example.go.th", email="admin@loei.go.th"))["Caddyfile"]
    assert "\temail admin@loei.go.th\n" in caddyfile.split("ita.example.go.th {")[0]


@needs("systemd-analyze")
def test_units_pass_systemd_analyze_verify(tmp_path):
    """With this machine's virtualenv and user, so that the binaries and the user exist."""
    import getpass
    import grp

    layout = render.Layout(domain="ita.example.go.th", cores=2, venv=sys.prefix, user=getpass.getuser(),
                           group=grp.getgrgid(os.getgid()).gr_name, var_dir=str(tmp_path), log_dir=str(tmp_path),
                           backup_dir=str(tmp_path), env_file=str(tmp_path / "itadesk.env"))
    render.write(layout, tmp_path)
    names = ["itadesk-web.service", "itadesk-worker.service", "itadesk.target"]
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *names], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


@needs("caddy")
@pytest.mark.parametrize("internal", [False, True])
def test_caddyfile_validates(tmp_path, internal):
    extra = {"https_port": 18443, "http_port": 18080} if internal else {}
    layout = render.Layout(domain="ita.example.go.th", caddy_log=str(tmp_path / "access.log"), **extra)
    caddyfile = tmp_path / "Caddyfile"
    caddyfile.write_text(render.render(layout)["Caddyfile"])
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run(["caddy", "validate", "--adapter", "caddyfile", "--config", str(caddyfile)],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


@needs("logrotate")
def test_logrotate_rule(tmp_path):
    logs = tmp_path / "log"
    logs.mkdir(mode=0o750)
    (logs / "web.log").write_text("x" * 100)
    rule = tmp_path / "itadesk"
    rule.write_text(render.render(render.Layout(domain="ita.example.go.th", log_dir=str(logs)))["logrotate"])
    result = subprocess.run(["logrotate", "-d", "-s", str(tmp_path / "state"), str(rule)], capture_output=True,
                            text=True, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"considering log {logs}/web.log" in output and "error" not in output.lower(), output
    # And for real: the log is copied aside and emptied in place (systemd keeps it open).
    forced = subprocess.run(["logrotate", "-f", "-s", str(tmp_path / "state"), str(rule)], capture_output=True,
                            text=True, timeout=60)
    assert forced.returncode == 0, forced.stderr
    assert (logs / "web.log").read_text() == ""
    rotated = [p for p in logs.iterdir() if p.name.startswith("web.log-")]
    assert len(rotated) == 1 and rotated[0].read_text() == "x" * 100  # compressed on the next rotation


@needs("visudo")
def test_sudoers_rule_passes_visudo(tmp_path, server_files):
    rule = tmp_path / "itadesk"
    rule.write_text(server_files["sudoers"])
    result = subprocess.run(["visudo", "-c", "-f", str(rule)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_command_wrapper_runs_itadesk_with_the_settings_file(tmp_path):
    """The /usr/local/bin/itadesk wrapper: reads KEY=value lines (values with spaces too) and runs the
    itadesk command from the virtualenv as the app's user."""
    import getpass

    env_file = tmp_path / "itadesk.env"
    env_file.write_text(f"# comment\n\nITADESK_VAR_DIR={tmp_path}\nITADESK_EMAIL_FROM=ITA Desk <ita@example.go.th>\n"
                        "ITADESK_SITE_URL=https://ita.example.go.th\n")
    layout = render.Layout(domain="ita.example.go.th", venv=sys.prefix, user=getpass.getuser(),
                           var_dir=str(tmp_path), env_file=str(env_file))
    wrapper = tmp_path / "itadesk"
    wrapper.write_text(render.render(layout)["itadesk"])
    wrapper.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ITADESK_", "DATABASE_URL"))}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([str(wrapper), "shell", "-c", "from django.conf import settings as s; "
                             "print(s.SITE_URL, s.VAR_DIR, s.DEFAULT_FROM_EMAIL, sep='|')"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"https://ita.example.go.th|{tmp_path}|ITA Desk <ita@example.go.th>"


# --- install.sh ---------------------------------------------------------------------------------------

INSTALL = DEPLOY / "install.sh"


def test_install_script_parses():
    for script, shell in ((INSTALL, "bash"), (DEPLOY / "templates" / "itadesk-command", "sh")):
        result = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@needs("shellcheck")
def test_install_script_passes_shellcheck(tmp_path, server_files):
    wrapper = tmp_path / "itadesk"
    wrapper.write_text(server_files["itadesk"])
    result = subprocess.run(["shellcheck", str(INSTALL), str(wrapper)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


def _install(*args, env=None):
    return subprocess.run(["bash", str(INSTALL), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_dry_run_prints_every_step_and_changes_nothing(tmp_path):
    targets = [Path(p) for p in ("/etc/itadesk/itadesk.env", "/etc/systemd/system/itadesk-web.service",
                                 "/usr/local/bin/itadesk", "/etc/logrotate.d/itadesk", "/opt/itadesk")]
    before = {p: p.exists() for p in targets}
    first = _install("--domain", "ita.example.go.th", "--dry-run", env={"TMPDIR": str(tmp_path)})
    assert first.returncode == 0, first.stderr
    assert {p: p.exists() for p in targets} == before
    assert list(tmp_path.iterdir()) == [], "the rendered files' temporary folder is removed"
    out = first.stdout
    assert re.search(r"^install: ITA Desk from .* for https://ita\.example\.go\.th \(\d+ cores\), dry run$", out, re.M)
    assert re.search(r"^install: dry run: \d+ change\(s\) listed above, none made$", out, re.M)
    for _, dest, _ in render.FILES.values():
        if not Path(dest).exists():
            assert f"would: write {dest}" in out, dest
    if not Path("/opt/itadesk/installed-source.sha256").exists():
        assert "would run: /usr/local/bin/itadesk upgrade" in out
        assert re.search(r"would run: /opt/itadesk/venv/bin/python -m pip install .* /opt/itadesk/src", out)
    # A dry run is a reading: twice, the same words (the package lines aside: on a shared machine apt may
    # be at work between the two runs).
    again = _install("--domain", "ita.example.go.th", "--dry-run", env={"TMPDIR": str(tmp_path)})

    def same(text):
        text = re.sub(r"itadesk-install\.\w+", "T", text)
        return [line for line in text.splitlines() if "packages:" not in line and "apt-get" not in line
                and "change(s) listed above" not in line]

    assert same(again.stdout) == same(out)


def test_domain_is_required_and_checked():
    missing = _install("--dry-run")
    assert missing.returncode == 2 and "--domain is required" in missing.stderr
    bad = _install("--domain", "https://ita.example.go.th", "--dry-run")
    assert bad.returncode == 2 and "not a domain name" in bad.stderr
    assert "would" not in bad.stdout
    unknown = _install("--domain", "ita.example.go.th", "--frobnicate")
    assert unknown.returncode == 2 and "unknown argument: --frobnicate" in unknown.stderr
