#!/bin/sh
# scripts/demo, as a visitor runs it (audit item 11): exit 0, and nothing
# left behind - its private directory (config with client secrets, token
# cache, IdP keys) removed and its servers stopped.  Uses this build tree.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
before=$(ls -d /tmp/optt-demo.* 2>/dev/null | sort)
OPTT_DEMO_BUILD="$OPTT_TOP_BUILDDIR" sh "$OPTT_TOP_SRCDIR/scripts/demo" >"$T_DIR/demo.out" 2>&1
rc=$?
is "scripts/demo exits 0" "$rc" 0
[ "$rc" = 0 ] || tail -20 "$T_DIR/demo.out" | sed 's/^/# /'
dir=$(sed -n 's/.*(throwaway CA \(\/tmp\/optt-demo\.[^/]*\)\/idp\/ca.pem).*/\1/p' "$T_DIR/demo.out")
[ -n "$dir" ] && ok "the demo named its directory ($dir)" || not_ok "the demo named its directory"
[ -n "$dir" ] && [ ! -e "$dir" ] && ok "... and removed it" || not_ok "... and removed it" "$(ls -la "$dir" 2>&1 | head -5)"
is "no other /tmp/optt-demo.* left" "$(ls -d /tmp/optt-demo.* 2>/dev/null | sort)" "$before"
left=$(ps -eo args | grep -F "${dir:-/nonexistent}/" | grep -v grep)
is "its servers are stopped" "$left" ""
like "it logged in with each dialect" "$(cat "$T_DIR/demo.out")" 'logged in: profile rfc'
like "it showed git and docker working" "$(cat "$T_DIR/demo.out")" '"Secret":'
t_done
