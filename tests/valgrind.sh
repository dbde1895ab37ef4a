#!/bin/sh
# valgrind memcheck over the main paths of the CLI and the helpers (full
# and front): no invalid read/write, no use of uninitialised memory, no
# definite leak.  (Normal build only: valgrind and ASan exclude each other.)
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need valgrind
idp_start
write_conf
ddi_profile reg hosts=registry.example.com:5000 >>"$OPTT_CONFIG"
B=$OPTT_TOP_BUILDDIR
# (--trace-children: optt-token is a front that execs optt-cli, issue 24)
VG="valgrind -q --trace-children=yes --num-callers=40 --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=yes"

vg() { # DESC [--stdin TEXT] CMD...
	d=$1
	shift
	run "$@"
	[ "$RC" != 99 ] && ok "valgrind: $d (exit $RC)" ||
		not_ok "valgrind: $d" "$(printf '%s' "$ERR" | grep -E '==[0-9]+==' | head -30)"
}
vg "optt-token login (password grant)" --stdin alice-pw-3141 $VG "$OPTT_TOKEN" login optt --username alice --password-stdin
vg "optt-token login (client credentials)" $VG "$OPTT_TOKEN" login ddi
vg "optt-token get (cached)" $VG "$OPTT_TOKEN" get ddi
vg "optt-token status" $VG "$OPTT_TOKEN" status
vg "optt-token check-config" $VG "$OPTT_TOKEN" check-config
vg "optt-token login, wrong password" --stdin wrong-pw-4 $VG "$OPTT_TOKEN" login optt --username alice --password-stdin
set_default refresh_margin 86400
vg "optt-token get (refresh)" $VG "$OPTT_TOKEN" get optt
vg "optt-git-helper get (refresh)" --stdin "$(printf 'protocol=https\nhost=git.example.com')" $VG "$B/git_helper/optt-git-helper" get
sed -i '/^refresh_margin = /d' "$OPTT_CONFIG"
vg "git-credential-optt get (front, cached)" --stdin "$(printf 'protocol=https\nhost=git.example.com')" $VG "$B/git_helper/git-credential-optt" get
vg "optt-git-helper erase" --stdin "$(printf 'protocol=https\nhost=git.example.com\npassword=x')" $VG "$B/git_helper/optt-git-helper" erase
vg "optt-docker-helper get (grant)" --stdin registry.example.com:5000 $VG "$B/docker_helper/optt-docker-helper" get
vg "docker-credential-optt get (front, cached)" --stdin registry.example.com:5000 $VG "$B/docker_helper/docker-credential-optt" get
vg "optt-docker-helper store" --stdin '{"ServerURL":"v.example.com","Username":"u","Secret":"s"}' $VG "$B/docker_helper/optt-docker-helper" store
vg "optt-docker-helper get (stored)" --stdin v.example.com $VG "$B/docker_helper/optt-docker-helper" get
vg "optt-docker-helper list" $VG "$B/docker_helper/optt-docker-helper" list
vg "optt-docker-helper erase" --stdin v.example.com $VG "$B/docker_helper/optt-docker-helper" erase
vg "optt-docker-helper store, bad JSON" --stdin '{"ServerURL":' $VG "$B/docker_helper/optt-docker-helper" store
# kubectl's plugin (issue 24): the front's cached answer, the full CLI's
# grant, setup kube and its undo (libyaml events)
vg "optt-token kube (grant, through the front)" $VG "$OPTT_TOKEN" kube reg
vg "optt-token kube (front, cached)" $VG "$OPTT_TOKEN" kube reg
mkdir -p "$HOME/.kube"
printf 'clusters:\n- name: c\n  cluster: {server: "https://k"}\nusers: null\ncontexts: []\n' >"$HOME/.kube/config"
vg "optt-token setup kube" $VG "$OPTT_TOKEN" setup kube reg --cluster c
vg "optt-token setup kube --undo" $VG "$OPTT_TOKEN" setup kube reg --cluster c --undo
idp_ctl "fault?mode=malformed"
vg "optt-token login, malformed response" $VG "$OPTT_TOKEN" login ddi
idp_ctl "fault?mode=none"
# the keyring backend: libsecret loaded on first use, the transfer session
# opened on its second thread, the record stored back onto its item
. "$OPTT_TOP_SRCDIR/tests/keyring-env.sh"
keyring_start
set_default cache keyring
vg "optt-token login (keyring)" --stdin alice-pw-3141 $VG "$OPTT_TOKEN" login optt --username alice --password-stdin
set_default refresh_margin 86400
vg "optt-token get (keyring, refresh)" $VG "$OPTT_TOKEN" get optt
sed -i '/^refresh_margin = /d' "$OPTT_CONFIG"
vg "optt-token status (keyring)" $VG "$OPTT_TOKEN" status
vg "optt-docker-helper store (keyring)" --stdin '{"ServerURL":"v.example.com","Username":"u","Secret":"s"}' $VG "$B/docker_helper/optt-docker-helper" store
vg "optt-docker-helper list (keyring)" $VG "$B/docker_helper/optt-docker-helper" list
vg "optt-token logout (keyring)" $VG "$OPTT_TOKEN" logout optt
# the check can fail: a deliberate leak is reported
cat >"$T_DIR/leak.c" <<'EOC'
#include <stdlib.h>
int main(void) { void *p = malloc(64); p = 0; return p != 0; }
EOC
if ${CC:-cc} -O0 -o "$T_DIR/leak" "$T_DIR/leak.c" 2>/dev/null; then
	run $VG "$T_DIR/leak"
	is "valgrind reports a deliberate definite leak (exit 99)" "$RC" 99
else
	not_ok "a C compiler for the self-check"
fi
t_done
