#!/bin/sh
# watchdog.sh TEST [ARGS...] - run one test program (a TAP shell suite or a
# cmocka unit test) with a time limit, so that a hang is one counted
# failure and never a stuck `make check`, scripts/test or CI
# (tests/Makefile.am runs every test through it: LOG_COMPILER,
# SH_LOG_COMPILER; issue 20 item 16).
#
# - The test runs under coreutils timeout(1) in a process group of its own
#   with stdin from /dev/null (a test that reads the terminal by mistake
#   gets end-of-file, not a stop): at the limit the whole group gets
#   SIGTERM (lib.sh then cleans up: servers, users, T_DIR), OPTT_TEST_GRACE
#   seconds later (default 30) SIGKILL.  A SIGINT, SIGTERM or SIGHUP of the
#   watchdog (Ctrl-C at `make check`) is passed on to the group as SIGTERM.
# - Its TAP output passes through unchanged; on a timeout one more point
#   is added, "not ok N - NAME: timed out after S s ...", and the plan when
#   the test had not printed one, so the TAP driver counts exactly one
#   failure for a shell suite (a unit test, whose plan comes first, also
#   shows the points it never reached), and the exit status is then 0:
#   the failure is that point.  Otherwise the test's exit status is kept.
# - The limit: OPTT_TEST_LIMIT seconds when set (tests/watchdog-check.sh),
#   else the table below, times 2 in the sanitizer build
#   (OPTT_SANITIZERS=yes) and times OPTT_TEST_LIMIT_SCALE (default 1).
#   The limits are several times what each test takes on a loaded 2-CPU
#   machine (tests/README.md).
set -u
[ $# -ge 1 ] || { echo "usage: watchdog.sh TEST [ARGS...]" >&2; exit 2; }
eval "name=\${$#}"
name=${name#./}
case "$name" in
*valgrind.sh) limit=3600 ;;
*matrix.sh | *pam/outcomes.sh | *pam/sshd.sh | *pam/loop.sh | *docker/skopeo.sh | *failinject.sh) limit=1800 ;;
*.sh) limit=1200 ;;
*) limit=300 ;; # a unit test
esac
[ "${OPTT_SANITIZERS:-no}" = yes ] && limit=$((limit * 2))
limit=$((limit * ${OPTT_TEST_LIMIT_SCALE:-1}))
limit=${OPTT_TEST_LIMIT:-$limit}
work=$(mktemp -d "${TMPDIR:-/tmp}/optt-watchdog.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
mkfifo "$work/out" || exit 99
# the test's output, passed through as it comes and counted
awk -v stats="$work/stats" '
	{ print; fflush() }
	/^(not )?ok([ \t]|$)/ { n++ }
	/^1\.\.[0-9]+/ { plan = 1 }
	END { print n + 0, plan + 0 >stats }' <"$work/out" &
apid=$!
start=$(date +%s)
timeout -k "${OPTT_TEST_GRACE:-30}" "$limit" "$@" </dev/null >"$work/out" &
tpid=$!
# timeout(1) put the test in a process group of its own, which the
# terminal's Ctrl-C does not reach: our INT/TERM/HUP go on to it (it sends
# them to the whole group)
trap 'kill -TERM "$tpid" 2>/dev/null' INT TERM HUP
while :; do
	wait "$tpid"
	rc=$?
	kill -0 "$tpid" 2>/dev/null || break # (else a signal ended the wait)
done
elapsed=$(($(date +%s) - start))
wait "$apid"
# 124: SIGTERM at the limit; 137: the grace's SIGKILL (a test killed by
# someone else before the limit is no timeout)
if [ "$rc" != 124 ] && [ "$rc" != 137 ] || [ $((elapsed + 1)) -lt "$limit" ]; then
	exit "$rc"
fi
read -r n plan <"$work/stats" || n=0 plan=0
n=$((n + 1))
echo "not ok $n - $name: timed out after $limit s (the watchdog ended its process group)"
[ "$plan" = 1 ] || echo "1..$n"
exit 0
