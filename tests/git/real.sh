#!/bin/sh
# Real git (Debian's 2.39) through git-credential-optt against a loopback
# smart-HTTP server (git http-backend as CGI) that accepts only tokens the
# bundled IdP says are live.  Clone and push for a password-grant profile
# after `optt-token login` and for a client-credentials profile with no
# login; revocation -> erase -> refresh; IdP down -> the helper's message,
# no hang.  Run with the file cache, then with the keyring.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/keyring-env.sh"
need git
HELPER_DIR="$OPTT_TOP_BUILDDIR/git_helper"
[ -x "$HELPER_DIR/git-credential-optt" ] || { not_ok "git-credential-optt is built"; t_done; }
idp_start

# the git server and its two repositories (pw/ and cc/, one per profile)
gitsrv_start pw/repo.git cc/repo.git
BASE=$GBASE

export PATH="$HELPER_DIR:$PATH" GIT_TERMINAL_PROMPT=0 GIT_CONFIG_NOSYSTEM=1 \
	GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
git config --global "credential.$BASE.helper" optt
git config --global "credential.$BASE.useHttpPath" true

export OPTT_CONFIG="$T_DIR/optt.conf"
gconf() { # CACHE
	cat >"$OPTT_CONFIG" <<EOC
[defaults]
cafile = $IDP_CA
timeout = 5
cache = $1

[profile gitpw]
dialect = optt
token_url = $IDP_URL/gateway/uaa/oauth/token
hosts = 127.0.0.1:$GPORT/pw

[profile gitcc]
dialect = ddi
token_url = $IDP_URL/oauth2/token/
client_id = ab5a442c7d57bd3dcbdc0675e9bdd9f6e6d67d1171b043939ff5
client_secret = 8c7f2eb1609125d43e945cee63501dff80c461166ccfe15291
hosts = 127.0.0.1:$GPORT/cc
EOC
	chmod 600 "$OPTT_CONFIG"
}

gitrun() { # DESC-less: run git with a timeout, set RC/OUT/ERR
	run timeout 60 git "$@"
}

scenario() { # CACHE
	c=$1
	gconf "$c"
	w="$T_DIR/work-$c"
	mkdir -p "$w"
	gitrun clone -q "$BASE/pw/repo.git" "$w/pw-early"
	[ "$RC" -ne 0 ] && ok "[$c] password profile before login: clone fails" ||
		not_ok "[$c] password profile before login: clone fails"
	like "[$c] ... with the helper's advice" "$ERR" 'optt: no token for profile gitpw; run: optt-token login gitpw'
	run --stdin alice-pw-3141 "$OPTT_TOKEN" login gitpw --username alice --password-stdin
	is "[$c] optt-token login: exit 0" "$RC" 0
	n=$(idp_count total)
	gitrun clone -q "$BASE/pw/repo.git" "$w/pw"
	is "[$c] clone with the password-grant token: exit 0" "$RC" 0
	is "[$c] ... the content arrived" "$(head -1 "$w/pw/README" 2>/dev/null)" hello
	(cd "$w/pw" && echo "$c" >>README && git commit -qam "change $c") >/dev/null 2>&1
	run timeout 60 git -C "$w/pw" push -q origin main
	is "[$c] push with the password-grant token: exit 0" "$RC" 0
	is "[$c] ... the server has the commit" "$(git -C "$G/root/pw/repo.git" log -1 --format=%s main)" "change $c"
	is "[$c] clone and push used the cached token: no IdP request" "$(idp_count total)" "$n"
	gitrun clone -q "$BASE/cc/repo.git" "$w/cc"
	is "[$c] client-credentials profile, no login step: clone exit 0" "$RC" 0
	(cd "$w/cc" && echo cc >>README && git commit -qam "cc $c") >/dev/null 2>&1
	run timeout 60 git -C "$w/cc" push -q origin main
	is "[$c] ... push exit 0" "$RC" 0

	# revocation: the fetch that meets it fails and erases; the next one refreshes
	idp_ctl "revoke?what=access"
	r=$(idp_count optt_refresh)
	run timeout 60 git -C "$w/pw" fetch -q
	[ "$RC" -ne 0 ] && ok "[$c] revoked token: that fetch is refused by the server" ||
		not_ok "[$c] revoked token: that fetch is refused by the server"
	run timeout 60 git -C "$w/pw" fetch -q
	is "[$c] the next fetch: exit 0" "$RC" 0
	is "[$c] ... after exactly one refresh" "$(idp_count optt_refresh)" $((r + 1))

	# IdP down with an expired token: the helper's message, quickly
	sed -i 's/^timeout = 5/timeout = 5\nrefresh_margin = 86400/' "$OPTT_CONFIG"
	idp_stop
	run timeout 60 git -C "$w/pw" fetch -q
	[ "$RC" -ne 0 ] && ok "[$c] IdP down: fetch fails" || not_ok "[$c] IdP down: fetch fails"
	like "[$c] ... with the helper's message" "$ERR" '^optt: .*(unavailable|connect)'
	[ "$ELAPSED" -le 20 ] && ok "[$c] ... no hang (${ELAPSED}s)" || not_ok "[$c] ... no hang" "${ELAPSED}s"
	idp_start_again
}

# idp_start_again: a fresh IdP on a new port (the old state is gone)
idp_start_again() {
	idp_start
	sed -i "s|https://127.0.0.1:[0-9]*/|$IDP_URL/|" "$OPTT_CONFIG"
}

scenario file
unlike "no token in the git server's log" "$(cat "$G/log")" "eyJ"
like "the server saw Basic auth (git 2.39)" "$(cat "$G/log")" ' Basic 200$'
# the keyring: a real gnome-keyring on a private bus
kill "$GIT_SRV" 2>/dev/null
python3 "$OPTT_TOP_SRCDIR/tests/git/githttp.py" --root "$G/root" --idp "$IDP_URL" \
	--cafile "$IDP_CA" --state "$G" >"$G/server.log" 2>&1 &
T_PIDS="$T_PIDS $!"
# (same port is not guaranteed: re-read it and re-point git and the config)
rm -f "$G/port"
i=0
until [ -s "$G/port" ] || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
OLD=$BASE
GPORT=$(cat "$G/port")
BASE="http://127.0.0.1:$GPORT"
git config --global --remove-section "credential.$OLD" 2>/dev/null
git config --global "credential.$BASE.helper" optt
git config --global "credential.$BASE.useHttpPath" true
rm -f "$XDG_RUNTIME_DIR"/optt/*.json
keyring_start
scenario keyring
like "tokens are in the keyring (secret-tool search)" \
	"$(secret-tool search --all xdg:schema ca.optt.Token 2>&1)" 'attribute.profile = gitpw'
is "the keyring run wrote no token file" "$(ls "$XDG_RUNTIME_DIR/optt/" | grep -c '\.json$')" 0
t_done
