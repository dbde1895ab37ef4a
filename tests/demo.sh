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
out=$(cat "$T_DIR/demo.out")
like "1. the PAM login: a wrong password refused" "$out" 'outcome=rejected'
like "... the right one accepted, a session opened" "$out" 'successfully opened a session'
like "2. the session's token, with no request" "$out" 'requests to the IdP for it: 0\)'
like "3. git through the helper" "$out" 'first commit'
like "4. docker" "$out" '"Secret":'
like "5. a device login: the code shown" "$out" 'enter the code [0-9]{4}-[0-9]{4}'
like "... and the login done" "$out" 'logged in: profile corp'
like "6. the other dialects" "$out" 'logged in: profile rfc'
like "... in that order" "$(printf '%s\n' "$out" | grep -E '^== [1-6]\.' | cut -c4-5 | tr -d '\n')" '^1\.2\.3\.4\.5\.6\.$'
n=$(grep -v '^#' "$OPTT_TOP_SRCDIR/scripts/deps-demo" | grep -cE 'clang|valgrind|docker-registry|skopeo|gnome-keyring|openssh|lintian')
is "the demo installs only what it needs (no clang, valgrind, registry, sshd...)" "$n" 0
t_done
