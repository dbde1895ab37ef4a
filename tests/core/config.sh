#!/bin/sh
# SPEC §2 through the CLI: file precedence, strict errors naming file, line
# and key (exit 2, nothing changed), permission rules, check-config masking.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
idp_start
write_conf

run "$OPTT_TOKEN" check-config
is "check-config on the test config: exit 0" "$RC" 0
like "check-config prints resolved defaults" "$OUT" 'refresh_margin = 60'
like "check-config masks client_secret" "$OUT" 'client_secret = \*\*\*\*\*\*\*\*'
unlike "check-config never prints a client secret" "$OUT" 'rfc-secret-1414'
like "check-config shows client_secret_file (a path, not the secret)" "$OUT" "client_secret_file = $T_DIR/octo.secret"
unlike "... and not the file's content" "$OUT" 'octo-secret-1618'
# audit item 9: proxy credentials (and URL query values) are masked too
printf '\n[profile proxied]\ndialect = optt\ntoken_url = %s/gateway/uaa/oauth/token?api_key=qkey-5511\nproxy = http://puser:ppass-9876@127.0.0.1:3128\n' \
	"$IDP_URL" >>"$OPTT_CONFIG"
run "$OPTT_TOKEN" check-config
like "check-config masks the proxy's user info" "$OUT" 'proxy = http://\*{8}@127.0.0.1:3128'
unlike "... the proxy password is not printed" "$OUT" 'ppass-9876'
unlike "... nor the proxy user" "$OUT" 'puser'
like "check-config masks URL query values" "$OUT" 'token_url = .*/oauth/token\?api_key=\*{8}$'
unlike "... the query value is not printed" "$OUT" 'qkey-5511'
sed -i '/^\[profile proxied\]/,$d' "$OPTT_CONFIG"

run "$OPTT_TOKEN" login ddi
before=$(sha256sum "$(cache_file ddi ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5)")
cp "$OPTT_CONFIG" "$T_DIR/good.conf"

# each bad config: exit 2, a message naming file, line and key, no request, cache unchanged
n=$(idp_count total)
bad_conf() {
	cp "$T_DIR/good.conf" "$OPTT_CONFIG"
	sed -i "$2" "$OPTT_CONFIG"
	run "$OPTT_TOKEN" login ddi
	is "$1: exit 2" "$RC" 2
	like "$1: message" "$ERR" "$3"
}
bad_conf unknown-key '/^\[profile ddi\]/a frobnicate = 1' "optt.conf:[0-9]+: unknown key 'frobnicate'"
bad_conf unknown-section '$a [server]' 'optt.conf:[0-9]+: unknown section \[server\]'
bad_conf bad-dialect 's/^dialect = ddi/dialect = ddi2/' "optt.conf:[0-9]+: key 'dialect': unknown value 'ddi2'"
bad_conf bad-timeout 's/^timeout = 5/timeout = five/' "optt.conf:[0-9]+: key 'timeout': expected a whole number"
bad_conf bad-cache 's/^cache = file/cache = memory/' "optt.conf:[0-9]+: key 'cache': unknown value"
bad_conf http-remote 's#^token_url = https://127.0.0.1:[0-9]*/oauth2#token_url = http://ddi.example.com/oauth2#' 'token_url: plain http is allowed only to loopback hosts'
bad_conf missing-url '/^token_url = .*oauth2\/token/d' "profile 'ddi': token_url is required"
bad_conf duplicate '/^\[profile ddi\]/a dialect = ddi' "key 'dialect' set twice"
bad_conf long-line '/^\[profile ddi\]/a hosts = '"$(printf 'h%.0s' $(seq 1 300))" 'optt.conf:[0-9]+: line longer than 197 characters'
# audit item 12: a CA file or directory that is not there is configuration (exit 2)
bad_conf missing-cafile "s#^cafile = .*#cafile = $T_DIR/no-such-ca.pem#" \
	"optt.conf:[0-9]+: key 'cafile': .*no-such-ca.pem is not an existing file"
bad_conf cafile-a-directory "s#^cafile = .*#cafile = $T_DIR#" "optt.conf:[0-9]+: key 'cafile': .* is not an existing file"
bad_conf missing-capath '/^\[profile ddi\]/a capath = /nonexistent-ca-dir' \
	"optt.conf:[0-9]+: key 'capath': /nonexistent-ca-dir is not an existing directory"
# SPEC §19: a wildcard over a public suffix (libpsl) is refused like *.com
bad_conf wildcard-co.uk '/^\[profile ddi\]/a hosts = *.co.uk' \
	"optt.conf:[0-9]+: key 'hosts': '\\*\\.co\\.uk' covers every site under a public suffix"
bad_conf wildcard-github.io '/^\[profile ddi\]/a hosts = git.example.com *.github.io/team' \
	"optt.conf:[0-9]+: key 'hosts': '\\*\\.github\\.io' covers every site under a public suffix"
bad_conf wildcard-com '/^\[profile ddi\]/a hosts = *.com' "optt.conf:[0-9]+: key 'hosts': invalid entry '\\*\\.com'"
is "bad configs made no request" "$(idp_count total)" "$n"
is "bad configs left the cache unchanged" \
	"$(sha256sum "$(cache_file ddi ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5)")" "$before"
cp "$T_DIR/good.conf" "$OPTT_CONFIG"

# ... and a domain below a public suffix is a wildcard like any other
sed -i '/^\[profile ddi\]/a hosts = *.example.co.uk *.example.com:5000 *.team.github.io' "$OPTT_CONFIG"
run "$OPTT_TOKEN" check-config --offline
is "*.example.co.uk, *.example.com, *.team.github.io: accepted (exit 0)" "$RC" 0
like "... and shown" "$OUT" 'hosts = \*\.example\.co\.uk \*\.example\.com:5000 \*\.team\.github\.io'
# fails closed: without a usable list (libpsl not loadable, no list, a list
# that does not know co.uk) the wildcard is refused, saying why; a config
# without a wildcard does not load libpsl at all
mkdir -p "$T_DIR/psl-nolist" "$T_DIR/psl-empty" "$T_DIR/psl-lacking"
# (each also has what libcurl, linked with BIND_NOW, takes from libpsl)
cat >"$T_DIR/psl-fake.c" <<'EOC'
#include <stddef.h>
void *psl_latest(const char *f) { (void)f; return NOLIST ? NULL : (void *)"x"; }
#ifndef LACKING
int psl_is_public_suffix2(const void *p, const char *d, int t) { (void)p; (void)d; (void)t; return 0; }
#endif
void psl_free(void *p) { (void)p; }
const void *psl_builtin(void) { return NULL; }
const char *psl_get_version(void) { return "0.0 (fake)"; }
int psl_is_cookie_domain_acceptable(const void *p, const char *h, const char *c) { (void)p; (void)h; (void)c; return 0; }
EOC
${CC:-cc} -shared -fPIC -DNOLIST=1 -o "$T_DIR/psl-nolist/libpsl.so.5" "$T_DIR/psl-fake.c" &&
	${CC:-cc} -shared -fPIC -DNOLIST=0 -o "$T_DIR/psl-empty/libpsl.so.5" "$T_DIR/psl-fake.c" &&
	${CC:-cc} -shared -fPIC -DNOLIST=0 -DLACKING -o "$T_DIR/psl-lacking/libpsl.so.5" "$T_DIR/psl-fake.c" ||
	not_ok "the fake libpsl builds"
for v in "nolist:libpsl has no public suffix list" "empty:public suffix list is empty or broken" \
	"lacking:libpsl.so.5 lacks psl_is_public_suffix2"; do
	run env LD_LIBRARY_PATH="$T_DIR/psl-${v%%:*}" "$OPTT_TOKEN" check-config --offline
	is "libpsl ${v%%:*}: the wildcard is refused (exit 2)" "$RC" 2
	like "... saying why" "$ERR" "key 'hosts': '\\*\\.example\\.co\\.uk' refused: .*${v#*:}"
done
cp "$T_DIR/good.conf" "$OPTT_CONFIG"
run env LD_LIBRARY_PATH="$T_DIR/psl-nolist" "$OPTT_TOKEN" check-config --offline
is "... a config without a wildcard does not need the list (exit 0)" "$RC" 0

# a file holding client_secret must not be readable by group or others
chmod 640 "$OPTT_CONFIG"
run "$OPTT_TOKEN" get ddi
is "group-readable config with client_secret: exit 2" "$RC" 2
like "... saying why, with file, line and key" "$ERR" "optt.conf:[0-9]+: key 'client_secret': .*readable by group or others"
chmod 600 "$OPTT_CONFIG"
chmod 644 "$T_DIR/octo.secret"
run "$OPTT_TOKEN" login octo-code --code x
is "group-readable client_secret_file: exit 2" "$RC" 2
like "... saying why" "$ERR" 'octo.secret: refused: holds a secret but is readable by group or others'
chmod 600 "$T_DIR/octo.secret"

# precedence: --config beats $OPTT_CONFIG; $OPTT_CONFIG replaces the user file
mkdir -p "$HOME/.config/optt"
printf '[profile useronly]\ndialect = optt\ntoken_url = https://127.0.0.1:1/x\n' >"$HOME/.config/optt/optt.conf"
run "$OPTT_TOKEN" check-config
unlike "\$OPTT_CONFIG replaces the user file" "$OUT" 'useronly'
run env -u OPTT_CONFIG "$OPTT_TOKEN" check-config
like "without \$OPTT_CONFIG the user file is read" "$OUT" '\[profile useronly\]'
XDG_CONFIG_HOME="$T_DIR/xdg" run env -u OPTT_CONFIG "$OPTT_TOKEN" check-config
unlike "XDG_CONFIG_HOME moves the user file" "$OUT" 'useronly'
printf '[profile other]\ndialect = optt\ntoken_url = https://127.0.0.1:1/x\n' >"$T_DIR/other.conf"
run "$OPTT_TOKEN" --config "$T_DIR/other.conf" check-config
like "--config beats \$OPTT_CONFIG" "$OUT" '\[profile other\]'
unlike "... entirely" "$OUT" '\[profile ddi\]'
run "$OPTT_TOKEN" --config "$T_DIR/missing.conf" check-config
is "--config naming a missing file: exit 2" "$RC" 2
like "... naming it" "$ERR" 'missing.conf: cannot open'
run "$OPTT_TOKEN" get nosuchprofile
is "unknown profile: exit 2" "$RC" 2
like "... naming it" "$ERR" "no profile 'nosuchprofile'"
t_done
