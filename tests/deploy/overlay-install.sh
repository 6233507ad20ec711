#!/usr/bin/env bash
# Run deploy/install.sh for real, twice, on this Debian 12 machine without changing it: in a private mount
# namespace, / is overlaid with a throw-away layer and the script runs chrooted into it. A manual check
# (not part of the test suite): it needs root, mount namespaces, and the network to PyPI for pip.
#
#   sudo bash tests/deploy/overlay-install.sh            # prints the two runs; exit 0 when the 2nd changed nothing
#
# systemd cannot run in the chroot, so a stand-in `systemctl` only remembers what was enabled and started,
# and this script starts what systemd would before the second run: PostgreSQL's cluster, Redis, and the web
# unit's own ExecStart line as the itadesk user with its EnvironmentFile. Expected: the first run installs
# everything and stops at the /healthz check (nothing serves yet); the second run says "nothing to change"
# and /healthz answers ok. Ports 5432, 6379 and 8000 on 127.0.0.1 must be free.
set -euo pipefail

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [ "${1:-}" != --inside ]; then
    [ "$(id -u)" -eq 0 ] || { echo "overlay-install: run as root" >&2; exit 1; }
    exec unshare --mount --propagation private bash "${BASH_SOURCE[0]}" --inside "$SRC"
fi
SRC="$2"
O="$(mktemp -d /var/tmp/itadesk-overlay.XXXXXX)"
cleanup() { umount -R "$O/merged" 2>/dev/null || true; rm -rf "$O"; }
trap cleanup EXIT
mkdir -p "$O/upper" "$O/work" "$O/merged"
mount -t overlay overlay -o "lowerdir=/,upperdir=$O/upper,workdir=$O/work" "$O/merged"
mount -t proc proc "$O/merged/proc"
mount --rbind /dev "$O/merged/dev"
mount --rbind /sys "$O/merged/sys"
mount -t tmpfs tmpfs "$O/merged/run"
mount -t tmpfs tmpfs "$O/merged/tmp"
mkdir "$O/merged/tmp/src"
(cd "$SRC" && tar -c --exclude=.git --exclude=.venv --exclude=var --exclude=__pycache__ .) | tar -x -C "$O/merged/tmp/src"

cat >"$O/merged/usr/local/sbin/systemctl" <<'SH'
#!/bin/bash
# Stand-in for systemctl in the chroot: remembers enabled/active units under /var/tmp/sysd.
mkdir -p /var/tmp/sysd
now=0; args=()
for a in "$@"; do case "$a" in --now) now=1 ;; --quiet | -q) ;; *) args+=("$a") ;; esac; done
units=("${args[@]:1}")
case "${args[0]}" in
    is-enabled) [ -e "/var/tmp/sysd/enabled-${units[0]}" ] ;;
    is-active) [ -e "/var/tmp/sysd/active-${units[0]}" ] ;;
    enable) for u in "${units[@]}"; do touch "/var/tmp/sysd/enabled-$u"; if [ "$now" = 1 ]; then touch "/var/tmp/sysd/active-$u"; fi; done ;;
    start | restart | reload) for u in "${units[@]}"; do touch "/var/tmp/sysd/active-$u"; done ;;
    *) true ;;
esac
SH
chmod 755 "$O/merged/usr/local/sbin/systemctl"

chroot "$O/merged" /bin/bash -s <<'CHROOT'
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
install -d -o postgres -g postgres /run/postgresql
pg_ctlcluster 15 main start
cd /tmp/src
echo "===== first run"
bash deploy/install.sh --domain ita.example.go.th
echo "===== first run: exit $? (1 expected: nothing serves /healthz without systemd)"
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" >/dev/null
EXEC=$(sed -n "s/^ExecStart=//p" /etc/systemd/system/itadesk-web.service)
(cd /var/lib/itadesk && set -a && . /etc/itadesk/itadesk.env && set +a &&
    runuser -u itadesk -- $EXEC --daemon --pid /tmp/gunicorn.pid)
touch /var/tmp/sysd/active-itadesk.target
sleep 5
echo "===== second run"
bash deploy/install.sh --domain ita.example.go.th | tee /tmp/second.log
rc=${PIPESTATUS[0]}
kill "$(cat /tmp/gunicorn.pid)"
redis-cli shutdown nosave >/dev/null 2>&1
sleep 2
pg_ctlcluster 15 main stop
if [ "$rc" -eq 0 ] && grep -q "nothing to change" /tmp/second.log; then
    echo "overlay-install: second run changed nothing and /healthz was ok"
    exit 0
fi
echo "overlay-install: second run exit $rc, or it changed something" >&2
exit 1
CHROOT
