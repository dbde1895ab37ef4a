#!/bin/sh
# SPEC §18: the device grant's QR code, drawn with half blocks on the
# terminal that shows the instructions - optt-token login (stderr) and the
# git helper (/dev/tty).  Read back by zbarimg from a picture redrawn from
# the captured text (tests/qrdecode.py, which also checks the two-module
# quiet zone): it is verification_uri_complete; the same modules as
# `qrencode -t UTF8 -m 2` of that URI.  None with NO_QR set, none when the
# stream is not a terminal, none when the provider gives no
# verification_uri_complete; an empty NO_QR draws it.  The code is never
# in the -v log.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need python3 zbarimg qrencode
idp_start
write_conf
device_profile dev hosts=git.example.com:7777 >>"$OPTT_CONFIG"
idp_ctl "config?device_interval=1&device_expires=30"
approve=$(idp_approve_script alice)
HELPER="$OPTT_TOP_BUILDDIR/git_helper/git-credential-optt"
decode() { printf '%s' "$1" | python3 "$OPTT_TOP_SRCDIR/tests/qrdecode.py" 2>&1; }
uri_of() { printf '%s' "$1" | grep -o '(or open [^)]*' | cut -d' ' -f3; }
# on_pty CMD...: the command on a terminal, approved once the code shows
on_pty() { run timeout 60 python3 "$OPTT_TOP_SRCDIR/tests/ptyrun.py" --when "enter the code" --run "$approve" -- "$@"; }
has_block() { printf '%s\n' "$1" | grep -c "$(printf '\342\226\210\342\226\210')" ; }

# --- the CLI on a terminal
unset NO_QR
on_pty "$OPTT_TOKEN" login dev
is "optt-token login on a terminal: exit 0" "$RC" 0
uri=$(uri_of "$OUT")
like "... the direct link in the instructions" "$uri" '^https://127\.0\.0\.1:[0-9]+/rfc/device/verify\?user_code=[0-9]{4}-[0-9]{4}$'
is "... and the QR code under them decodes to it" "$(decode "$OUT")" "$uri"
printf '%s' "$OUT" | python3 "$OPTT_TOP_SRCDIR/tests/qrdecode.py" --modules >"$T_DIR/ours"
qrencode -t UTF8 -m 2 "$uri" | python3 "$OPTT_TOP_SRCDIR/tests/qrdecode.py" --modules | head -n "$(wc -l <"$T_DIR/ours")" >"$T_DIR/theirs"
check "... the same modules as qrencode -t UTF8 -m 2 of that URI" cmp "$T_DIR/ours" "$T_DIR/theirs"
like "... the block stands between the instructions and the waiting line" "$(printf '%s\n' "$OUT" | tr -d '\r' | grep -n . | sed -n '2p;$p' | tr '\n' ' ')" \
	'^2:.* .*logged in'
NO_QR= on_pty "$OPTT_TOKEN" login dev
is "an empty NO_QR: the code is drawn" "$(decode "$OUT")" "$(uri_of "$OUT")"
NO_QR=1 on_pty "$OPTT_TOKEN" login dev
is "NO_QR=1: exit 0" "$RC" 0
is "... no block" "$(has_block "$OUT")" 0
like "... the instructions as ever" "$OUT" 'enter the code [0-9]{4}-[0-9]{4}'
# not a terminal: stderr to a file (as tests/core/device.sh runs it)
"$OPTT_TOKEN" login dev >"$T_DIR/o" 2>"$T_DIR/e" </dev/null &
pid=$!
i=0
until grep -q 'enter the code' "$T_DIR/e" 2>/dev/null || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
"$approve"
wait "$pid"
is "stderr not a terminal: exit 0" "$?" 0
is "... no block" "$(has_block "$(cat "$T_DIR/e")")" 0
idp_ctl "config?device_complete=0"
on_pty "$OPTT_TOKEN" -v login dev
is "no verification_uri_complete from the provider: exit 0" "$RC" 0
is "... no block" "$(has_block "$OUT")" 0
unlike "... no direct link" "$OUT" "(or open"
idp_ctl "config?device_complete=1"
on_pty "$OPTT_TOKEN" -v login dev
is "-v: the code drawn" "$(decode "$OUT")" "$(uri_of "$OUT")"
unlike "... and no debug line holds the link" "$(printf '%s\n' "$OUT" | grep -v 'To log in')" "user_code="

# --- the git helper: its terminal (/dev/tty), git's input on a pipe
"$OPTT_TOKEN" logout dev >/dev/null 2>&1
on_pty sh -c "printf 'protocol=https\nhost=git.example.com:7777\n\n' | env -u GIT_ASKPASS -u SSH_ASKPASS '$HELPER' get"
is "git helper on a terminal: exit 0" "$RC" 0
like "... answers git" "$OUT" 'password=[A-Za-z0-9._~+/-]{20,}'
is "... the QR code decodes to the direct link" "$(decode "$OUT")" "$(uri_of "$OUT")"
"$OPTT_TOKEN" logout dev >/dev/null 2>&1
NO_QR=yes on_pty sh -c "printf 'protocol=https\nhost=git.example.com:7777\n\n' | env -u GIT_ASKPASS -u SSH_ASKPASS '$HELPER' get"
is "git helper, NO_QR=yes: exit 0" "$RC" 0
is "... no block" "$(has_block "$OUT")" 0
like "... the instructions as ever" "$OUT" 'enter the code [0-9]{4}-[0-9]{4}'
# no terminal at all: the instructions on stderr, no block
"$OPTT_TOKEN" logout dev >/dev/null 2>&1
printf 'protocol=https\nhost=git.example.com:7777\n\n' | setsid "$HELPER" get >"$T_DIR/o" 2>"$T_DIR/e" &
pid=$!
i=0
until grep -q 'enter the code' "$T_DIR/e" 2>/dev/null || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
"$approve"
wait "$pid"
like "git helper without a terminal: the instructions on stderr" "$(cat "$T_DIR/e")" 'enter the code'
is "... no block" "$(has_block "$(cat "$T_DIR/e")")" 0
t_done
