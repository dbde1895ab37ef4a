#!/bin/sh
# The test runner's time limit (tests/watchdog.sh, issue 20 item 16): a
# suite that hangs - written here, never in the real list - ends as one
# counted failure within its limit, its whole process group gone and its
# EXIT trap run; one that ignores SIGTERM is killed after the grace; a
# unit test (plan first) gets the point too; a passing suite passes
# through unchanged and exit statuses are kept; through automake's TAP
# driver the hang is exactly one FAIL.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need timeout awk python3
W="$OPTT_TOP_SRCDIR/tests/watchdog.sh"
DRIVER="$OPTT_TOP_SRCDIR/build-aux/tap-driver.sh"
[ -f "$DRIVER" ] || { not_ok "automake's TAP driver is at $DRIVER (./autogen.sh)"; t_done; }

# suite NAME BODY: a TAP suite in $T_DIR
suite() {
	printf '#!/bin/sh\n%s\n' "$2" >"$T_DIR/$1"
	chmod 755 "$T_DIR/$1"
}
# watched LIMIT GRACE SUITE: the suite through the watchdog (and an outer
# bound, should the watchdog itself fail); sets RC, OUT, ELAPSED
watched() {
	run timeout 120 env OPTT_TEST_LIMIT="$1" OPTT_TEST_GRACE="$2" sh "$W" "$T_DIR/$3"
}
# gone PID: no such process, or a zombie (dead; PID 1 may be slow to reap)
gone() {
	[ -n "$1" ] || return 1
	st=$(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null)
	[ -z "$st" ] || [ "$st" = Z ]
}

# a hang: a point, then a child in the background and a wait that never ends
suite hang.sh "trap 'echo cleaned >$T_DIR/hang.cleaned' EXIT
trap 'exit 143' TERM
echo 'ok 1 - before the hang'
tail -f /dev/null &
echo \$! >$T_DIR/hang.child
tail -f /dev/null"
watched 3 10 hang.sh
is "a hanging suite: the watchdog exits 0 (the failure is its point)" "$RC" 0
like "... the suite's own points pass through" "$OUT" '^ok 1 - before the hang'
like "... one more point: not ok, naming the suite and the limit" "$OUT" \
	"not ok 2 - $T_DIR/hang.sh: timed out after 3 s"
like "... and the plan it never printed" "$OUT" '1\.\.2$'
[ "$ELAPSED" -ge 3 ] && [ "$ELAPSED" -le 8 ] && ok "... at the limit (${ELAPSED}s for 3 s)" ||
	not_ok "... at the limit" "${ELAPSED}s for 3 s"
gone "$(cat "$T_DIR/hang.child" 2>/dev/null)" && ok "... its background child is gone (the process group)" ||
	not_ok "... its background child is gone"
[ -f "$T_DIR/hang.cleaned" ] && ok "... its EXIT trap ran (SIGTERM first)" || not_ok "... its EXIT trap ran"

# SIGTERM to the watchdog (what Ctrl-C at make check does to it: the test's
# own process group is not the terminal's) reaches the suite's group
rm -f "$T_DIR/hang.cleaned" "$T_DIR/hang.child"
OPTT_TEST_LIMIT=600 sh "$W" "$T_DIR/hang.sh" >"$T_DIR/term.out" 2>&1 &
wpid=$!
i=0
until [ -s "$T_DIR/hang.child" ] || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
t0=$(date +%s)
kill -TERM "$wpid"
i=0
while kill -0 "$wpid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
gone "$wpid" && ok "SIGTERM to the watchdog: it ends at once ($(($(date +%s) - t0))s)" ||
	not_ok "SIGTERM to the watchdog: it ends at once"
wait "$wpid" 2>/dev/null
gone "$(cat "$T_DIR/hang.child" 2>/dev/null)" && ok "... the suite's child is gone" || not_ok "... the suite's child is gone"
[ -f "$T_DIR/hang.cleaned" ] && ok "... the suite's EXIT trap ran" || not_ok "... the suite's EXIT trap ran"
unlike "... an interruption, not a timeout" "$(cat "$T_DIR/term.out")" "timed out"

# the same through automake's TAP driver: one FAIL, no ERROR
rm -f "$T_DIR/hang.cleaned"
run timeout 120 env AM_TAP_AWK=awk OPTT_TEST_LIMIT=3 OPTT_TEST_GRACE=10 sh "$DRIVER" --test-name hang.sh \
	--log-file "$T_DIR/hang.log" --trs-file "$T_DIR/hang.trs" --color-tests no -- sh "$W" "$T_DIR/hang.sh"
trs=$(cat "$T_DIR/hang.trs" 2>/dev/null)
is "through the TAP driver: one point failed" "$(printf '%s\n' "$trs" | grep -c '^:test-result: FAIL')" 1
is "... one passed" "$(printf '%s\n' "$trs" | grep -c '^:test-result: PASS')" 1
is "... no error, no skip" "$(printf '%s\n' "$trs" | grep -Ec '^:test-result: (ERROR|SKIP|XFAIL|XPASS)')" 0
like "... the suite failed" "$trs" '^:global-test-result: FAIL'

# a suite that ignores SIGTERM: SIGKILL after the grace
suite deaf.sh "trap '' TERM
echo 'ok 1 - deaf'
tail -f /dev/null &
echo \$! >$T_DIR/deaf.child
tail -f /dev/null"
watched 2 3 deaf.sh
like "a suite ignoring SIGTERM: the timeout point" "$OUT" 'not ok 2 - .*deaf.sh: timed out after 2 s'
[ "$ELAPSED" -le 8 ] && ok "... killed after the grace (${ELAPSED}s for 2 + 3 s)" ||
	not_ok "... killed after the grace" "${ELAPSED}s"
gone "$(cat "$T_DIR/deaf.child" 2>/dev/null)" && ok "... its child too" || not_ok "... its child too"

# a unit test prints its plan first: the point is added, no second plan
suite unit "echo 1..3
echo 'ok 1 - test_a'
tail -f /dev/null"
watched 2 3 unit
like "a hanging unit test: the timeout point after its last one" "$OUT" 'ok 1 - test_a
not ok 2 - .*unit: timed out after 2 s'
is "... and one plan only" "$(printf '%s\n' "$OUT" | grep -c '^1\.\.')" 1

# a suite that ends: output and exit status unchanged, no point added
suite pass.sh "echo 'ok 1 - a'
echo 'ok 2 - b'
echo 1..2"
watched 30 3 pass.sh
is "a passing suite: output unchanged" "$OUT" "ok 1 - a
ok 2 - b
1..2"
is "... exit 0" "$RC" 0
suite exit3.sh "echo 'not ok 1 - x'
echo 1..1
exit 3"
watched 30 3 exit3.sh
is "a suite exiting 3: exit 3 kept" "$RC" 3
unlike "... no timeout point" "$OUT" "timed out"
# killed by someone else before the limit: a crash, not a timeout
suite killed.sh "echo 'ok 1 - x'
kill -KILL \$\$"
watched 30 3 killed.sh
is "a suite killed before the limit: its status (137) kept" "$RC" 137
unlike "... not called a timeout" "$OUT" "timed out"
# stdin is /dev/null: a test that reads the terminal by mistake gets EOF
suite reads.sh "read -r line; echo \"ok 1 - read gave status \$?\"; echo 1..1"
watched 30 3 reads.sh
like "a suite reading stdin gets end-of-file at once" "$OUT" 'ok 1 - read gave status 1'
t_done
