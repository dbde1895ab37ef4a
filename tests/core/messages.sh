#!/bin/sh
# What a new user reads (issue 15): every message about the configuration
# names the files read; "no profile" lists the profiles there are; status
# with no configuration says so; the docker helper has --help and -v like
# the other programs; git-credential-optt -v says why it stayed silent.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
GH="$OPTT_TOP_BUILDDIR/git_helper/git-credential-optt"
DH="$OPTT_TOP_BUILDDIR/docker_helper/docker-credential-optt"
EMPTY="$T_DIR/empty.conf"
: >"$EMPTY"
chmod 600 "$EMPTY"

export OPTT_CONFIG="$EMPTY"
run "$OPTT_TOKEN" check-config
is "check-config, no profile: exit 0" "$RC" 0
like "... names the file it read" "$ERR" "configuration OK: 0 profiles \\(read: $EMPTY\\)"
run "$OPTT_TOKEN" status
is "status with no profile configured: exit 2" "$RC" 2
like "... says so, naming the file" "$ERR" "no profile configured \\(read: $EMPTY\\)"
run "$OPTT_TOKEN" get
like "get with no profile configured: says so, naming the file" "$ERR" "no profile configured \\(read: $EMPTY\\)"
unset OPTT_CONFIG
run "$OPTT_TOKEN" check-config
like "without OPTT_CONFIG: the system and the user file, each marked when absent" "$ERR" \
	"read: /[^ ]*/optt/optt.conf( \\(absent\\))?, $HOME/.config/optt/optt.conf \\(absent\\)\\)"

idp_start
write_conf
run "$OPTT_TOKEN" get nosuch
is "get of an unknown profile: exit 2" "$RC" 2
like "... lists the profiles there are and the file" "$ERR" \
	"no profile 'nosuch' \\(profiles: optt, optt-client, octo, .*; read: $OPTT_CONFIG\\)"
run "$OPTT_TOKEN" status nosuch
like "status of an unknown profile: the same" "$ERR" "no profile 'nosuch' \\(profiles: optt, .*; read: $OPTT_CONFIG\\)"
{ ddi_profile first; ddi_profile second; } >"$T_DIR/two.conf"
chmod 600 "$T_DIR/two.conf"
OPTT_CONFIG="$T_DIR/two.conf" run "$OPTT_TOKEN" get
like "get naming no profile among several (none called optt): lists them" "$ERR" "name one of first, second"

printf 'protocol=https\nhost=unknown.example.com\n\n' >"$T_DIR/in"
"$GH" get <"$T_DIR/in" >"$T_DIR/o" 2>"$T_DIR/e"
is "git helper, unserved host: nothing on stdout or stderr" "$(cat "$T_DIR/o" "$T_DIR/e")" ""
"$GH" -v get <"$T_DIR/in" >"$T_DIR/o" 2>"$T_DIR/e"
is "git helper -v, unserved host: still nothing on stdout" "$(cat "$T_DIR/o")" ""
like "... says why on stderr, with the profiles and the file" "$(cat "$T_DIR/e")" \
	"no profile serves host unknown.example.com: nothing printed, so other helpers run \\(profiles: optt, .*; read: $OPTT_CONFIG\\)"
"$GH" --profile nosuch get <"$T_DIR/in" >"$T_DIR/o" 2>"$T_DIR/e"
like "git helper --profile nosuch: lists the profiles" "$(cat "$T_DIR/e")" "no profile 'nosuch' \\(profiles: optt, "

"$DH" --help >"$T_DIR/o" 2>"$T_DIR/e"
is "docker helper --help: exit 0" "$?" 0
like "... usage on stdout" "$(cat "$T_DIR/o")" '^usage: docker-credential-optt \[-v\] get\|store\|erase\|list\|version'
"$DH" --version >"$T_DIR/o" 2>&1
like "docker helper --version" "$(cat "$T_DIR/o")" '^docker-credential-optt \(optt-auth\) [0-9.]+$'
printf 'unknown.example.com\n' | "$DH" -v get >"$T_DIR/o" 2>"$T_DIR/e"
is "docker helper -v get, unknown registry: exit 1" "$?" 1
is "... the protocol's answer on stdout" "$(cat "$T_DIR/o")" "credentials not found in native keychain"
like "... why on stderr, with the profiles and the file" "$(cat "$T_DIR/e")" \
	"no profile serves registry unknown.example.com \\(profiles: optt, .*; read: $OPTT_CONFIG\\)"
"$DH" --bogus get </dev/null >"$T_DIR/o" 2>"$T_DIR/e"
is "docker helper, unknown option: exit 1" "$?" 1
like "... usage on stderr" "$(cat "$T_DIR/e")" '^usage: docker-credential-optt'
t_done
