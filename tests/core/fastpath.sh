#!/bin/sh
# The front programs' fast path (issue 7): a still-valid cached token is
# answered by git-credential-optt / docker-credential-optt (and, issue 24,
# `optt-token kube`) alone, without
# the full helper and without loading libcurl or libsecret; the keyring
# backend keeps only the access token (never the refresh token) in a
# 0600 copy in $XDG_RUNTIME_DIR/optt, dropped on logout and erase.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/keyring-env.sh"
need readelf strace
GITF="$OPTT_TOP_BUILDDIR/git_helper/git-credential-optt"
DOCKF="$OPTT_TOP_BUILDDIR/docker_helper/docker-credential-optt"
TOKF="$OPTT_TOP_BUILDDIR/cli/optt-token"
idp_start
write_conf
ddi_profile reg hosts=registry.example.com:5000 >>"$OPTT_CONFIG"
sed -i 's/^hosts = git.example.com$/hosts = git.example.com registry.example.com:6000/' "$OPTT_CONFIG"

for f in "$GITF" "$DOCKF" "$TOKF"; do
	needed=$(readelf -d "$f" | grep NEEDED)
	unlike "$(basename "$f"): libcurl not loaded" "$needed" libcurl
	unlike "$(basename "$f"): libsecret not loaded" "$needed" libsecret
	unlike "$(basename "$f"): GLib not loaded" "$needed" libglib
	unlike "$(basename "$f"): libpsl not linked (loaded only for a hosts wildcard)" "$needed" libpsl
done

# fronts alone in a directory: no full helper to hand over to
mkdir -p "$T_DIR/alone"
cp "$GITF" "$DOCKF" "$TOKF" "$T_DIR/alone/"
G="$T_DIR/alone/git-credential-optt"
D="$T_DIR/alone/docker-credential-optt"
K="$T_DIR/alone/optt-token"

for backend in file keyring; do
	set_default cache "$backend"
	[ "$backend" = keyring ] && keyring_start
	run "$OPTT_TOKEN" login reg
	login_alice
	tok=$("$OPTT_TOKEN" get reg)
	atok=$("$OPTT_TOKEN" get optt)
	n=$(idp_count total)
	printf '%s\n' "registry.example.com:5000" | "$D" get >"$T_DIR/o" 2>"$T_DIR/e"
	is "[$backend] docker front alone answers a cached client-credentials token" "$(cat "$T_DIR/o")" \
		"{\"ServerURL\":\"registry.example.com:5000\",\"Username\":\"oauth2\",\"Secret\":\"$tok\"}"
	printf 'protocol=https\nhost=git.example.com\n' | "$G" get >"$T_DIR/o" 2>"$T_DIR/e"
	like "[$backend] git front alone answers a cached password-grant token" "$(cat "$T_DIR/o")" "^username=oauth2
password=$atok
password_expiry_utc=[0-9]+\$"
	printf '%s\n' "registry.example.com:6000" | "$D" get >"$T_DIR/o" 2>"$T_DIR/e"
	like "[$backend] docker front alone, password profile, the one cached user" "$(cat "$T_DIR/o")" "\"Secret\":\"$atok\""
	"$K" kube reg >"$T_DIR/o" 2>"$T_DIR/e"
	like "[$backend] optt-token kube alone answers a cached client-credentials token" "$(cat "$T_DIR/o")" \
		"^\\{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\",.*\"token\":\"$tok\"\\}\\}\$"
	"$K" kube optt >"$T_DIR/o" 2>"$T_DIR/e"
	like "[$backend] optt-token kube alone, password profile, the one cached user" "$(cat "$T_DIR/o")" "\"token\":\"$atok\""
	# what the cached kube maps: neither libcurl nor GLib nor libsecret
	strace -f -qq -e trace=openat,execve -o "$T_DIR/kube.trace" "$TOKF" kube reg >/dev/null 2>&1
	unlike "[$backend] cached optt-token kube opens no libcurl" "$(cat "$T_DIR/kube.trace")" libcurl
	unlike "[$backend] ... no GLib" "$(cat "$T_DIR/kube.trace")" libglib
	unlike "[$backend] ... no libsecret" "$(cat "$T_DIR/kube.trace")" libsecret
	unlike "[$backend] ... and runs no full CLI" "$(cat "$T_DIR/kube.trace")" optt-cli
	is "[$backend] no IdP request" "$(idp_count total)" "$n"
	if [ "$backend" = file ]; then
		# SPEC §19's public-suffix check loads libpsl (and libidn2,
		# libunistring) only for a config with a wildcard entry
		printf 'protocol=https\nhost=git.example.com\n' |
			strace -f -qq -e trace=openat -o "$T_DIR/open.trace" "$G" get >"$T_DIR/o" 2>"$T_DIR/e"
		unlike "[$backend] cached git get, no wildcard configured: libpsl not opened" "$(cat "$T_DIR/open.trace")" libpsl
		sed -i 's/^hosts = git.example.com registry.example.com:6000$/& *.wild.example.co.uk/' "$OPTT_CONFIG"
		printf 'protocol=https\nhost=git.example.com\n' |
			strace -f -qq -e trace=openat -o "$T_DIR/open.trace" "$G" get >"$T_DIR/o" 2>"$T_DIR/e"
		like "[$backend] ... with a wildcard entry it is (the check needs the list)" "$(cat "$T_DIR/open.trace")" 'libpsl\.so\.5", O_RDONLY\|O_CLOEXEC\) = [0-9]'
		like "[$backend] ... and the answer is the same" "$(cat "$T_DIR/o")" "^username=oauth2
password=$atok"
		sed -i 's/ \*\.wild\.example\.co\.uk$//' "$OPTT_CONFIG"
	fi
	printf 'protocol=https\nhost=other.example.com\n' | "$G" get >"$T_DIR/o" 2>"$T_DIR/e"
	is "[$backend] git front alone: an unconfigured host, nothing" "$(cat "$T_DIR/o")$(cat "$T_DIR/e")" ""
	printf 'protocol=https\nhost=git.example.com\n' | "$G" store >"$T_DIR/o" 2>"$T_DIR/e"
	is "[$backend] git front alone: store, nothing" "$(cat "$T_DIR/o")$(cat "$T_DIR/e")" ""
	# a stale token is a miss: the front hands over (and, alone, cannot)
	set_default refresh_margin 86400
	# (the hand-over is seen in the execve, whether or not an installed full
	# helper is there to take it: the suite must not depend on that)
	printf '%s\n' "registry.example.com:5000" |
		strace -f -qq -e trace=execve -o "$T_DIR/exec.trace" "$D" get >"$T_DIR/o" 2>"$T_DIR/e"
	like "[$backend] stale token: the docker front hands over to the full helper" "$(cat "$T_DIR/exec.trace")" \
		'execve\("[^"]*/optt-auth/optt-docker-helper", '
	printf '%s\n' "registry.example.com:5000" | "$DOCKF" get >"$T_DIR/o" 2>"$T_DIR/e"
	like "[$backend] ... which (present) refreshes" "$(cat "$T_DIR/o")" '"Secret":"[0-9a-f]{20,}"'
	strace -f -qq -e trace=execve -o "$T_DIR/exec.trace" "$K" kube reg >"$T_DIR/o" 2>"$T_DIR/e"
	like "[$backend] stale token: optt-token kube hands over to the full CLI" "$(cat "$T_DIR/exec.trace")" \
		'execve\("[^"]*/optt-auth/optt-cli", '
	"$TOKF" kube reg >"$T_DIR/o" 2>"$T_DIR/e"
	like "[$backend] ... which (present) answers" "$(cat "$T_DIR/o")" '"token":"[0-9a-f]{20,}"'

	sed -i '/^refresh_margin = /d' "$OPTT_CONFIG"
done

# switching file -> keyring: the file backend's record is a leftover the
# fast path must not serve (it may hold a token the server since refused)
[ ! -e "$XDG_RUNTIME_DIR/optt/optt@alice.json" ] && ok "keyring store removed the file backend's leftover" ||
	not_ok "keyring store removed the file backend's leftover"

# the keyring's fast copy: access token only, 0600, in the runtime dir
copy="$XDG_RUNTIME_DIR/optt/optt@alice.access"
[ -f "$copy" ] && ok "keyring: access-token copy exists" || not_ok "keyring: access-token copy exists"
is "... mode 0600" "$(stat -c %a "$copy")" 600
unlike "... never the refresh token" "$(cat "$copy")" refresh_token
like "... the refresh token is in the keyring" "$(secret-tool search --all profile optt subject alice 2>&1)" '"refresh_token":'
rm -f "$copy" # the runtime dir is emptied at logout; the keyring keeps the record
run "$OPTT_TOKEN" get optt
is "keyring: a valid record read by the full path ..." "$RC" 0
[ -f "$copy" ] && ok "... puts the fast path's copy back" || not_ok "... puts the fast path's copy back"
printf 'protocol=https\nhost=git.example.com\npassword=%s\n' "$("$OPTT_TOKEN" get optt)" | "$GITF" erase
[ ! -e "$copy" ] && ok "git erase drops the copy" || not_ok "git erase drops the copy"
run "$OPTT_TOKEN" get optt
is "... the next get refreshes from the keyring" "$RC" 0
[ -f "$copy" ] && ok "... and writes a new copy" || not_ok "... and writes a new copy"
run "$OPTT_TOKEN" logout optt
[ ! -e "$copy" ] && ok "logout drops the copy" || not_ok "logout drops the copy"
# without XDG_RUNTIME_DIR (no per-user tmpfs) the keyring backend keeps no copy
env -u XDG_RUNTIME_DIR XDG_CACHE_HOME="$T_DIR/xdgcache" sh -c \
	"printf 'alice-pw-3141\n' | '$OPTT_TOKEN' login optt --username alice --password-stdin" 2>/dev/null
is "no XDG_RUNTIME_DIR: no access-token copy on disk" "$(ls "$T_DIR/xdgcache/optt" 2>/dev/null | grep -c '\.access$')" 0
t_done
