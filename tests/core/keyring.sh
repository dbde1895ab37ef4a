#!/bin/sh
# SPEC §4 keyring backend: a real Secret Service (gnome-keyring) on a
# private session bus; schema ca.optt.Token, attributes profile/subject;
# `auto` picks it when it answers and is unlocked, else the file cache;
# never a prompt, never an autolaunched bus.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/keyring-env.sh"
idp_start
write_conf

# --- no bus at all: auto -> file, keyring -> clear error ---------------
set_default cache auto
run "$OPTT_TOKEN" login ddi
is "no session bus, cache = auto: login works" "$RC" 0
run "$OPTT_TOKEN" status ddi
like "... with the file backend" "$OUT" 'backend: file'
set_default cache keyring
run "$OPTT_TOKEN" login ddi
is "no session bus, cache = keyring: exit 3" "$RC" 3
like "... saying why" "$ERR" 'keyring: no session bus'
rm -rf "$XDG_RUNTIME_DIR/optt"

# libsecret is loaded on first use (common/keyring.h): the loader's own
# trace (LD_DEBUG=files) says which libraries a run opened
loaded() { # CMD... -> the libsecret lines of the loader's trace
	env LD_DEBUG=files "$@" 2>&1 >/dev/null | grep 'file=libsecret-1\.so' || true
}
set_default cache auto
is "no session bus: libsecret is never loaded (a headless run has no GLib)" \
	"$(loaded "$OPTT_TOKEN" login ddi)" ""

# --- a bus without any Secret Service: auto -> file, quickly -----------
bus_start
set_default cache auto
run "$OPTT_TOKEN" login ddi
is "bus without Secret Service, cache = auto: login works" "$RC" 0
if [ "$ELAPSED" -le 5 ]; then ok "... without waiting long ($ELAPSED s)"; else not_ok "... without waiting long" "$ELAPSED s"; fi
run "$OPTT_TOKEN" status ddi
like "... with the file backend" "$OUT" 'backend: file'
kill "$(cat "$T_DIR/bus.pid")"
rm -rf "$XDG_RUNTIME_DIR/optt"

# --- gnome-keyring, unlocked -------------------------------------------
keyring_start
set_default cache file
is "keyring running, cache = file: libsecret is not loaded" "$(loaded "$OPTT_TOKEN" get ddi)" ""
set_default cache keyring
like "cache = keyring: libsecret is loaded, by dlopen (the check above can fail)" \
	"$(loaded "$OPTT_TOKEN" status ddi)" 'dynamically loaded by'
# a broken or missing libsecret: one clear line; auto falls back to the file
mkdir -p "$T_DIR/nolib" "$T_DIR/oldlib"
: >"$T_DIR/nolib/libsecret-1.so.0"
echo 'int optt_test_nothing;' | cc -shared -fPIC -x c -o "$T_DIR/oldlib/libsecret-1.so.0" - ||
	not_ok "build a libsecret stand-in without its functions"
run env LD_LIBRARY_PATH="$T_DIR/nolib" "$OPTT_TOKEN" get ddi
is "libsecret unloadable, cache = keyring: exit 3" "$RC" 3
like "... saying what to install" "$ERR" '^optt: keyring: cannot load libsecret-1\.so\.0 \(install libsecret-1-0\)'
is "... in one line" "$(printf '%s\n' "$ERR" | wc -l)" 1
run env LD_LIBRARY_PATH="$T_DIR/oldlib" "$OPTT_TOKEN" get ddi
is "libsecret without its functions, cache = keyring: exit 3" "$RC" 3
like "... naming the missing one" "$ERR" 'keyring: libsecret-1\.so\.0 lacks secret_service_get_sync'
set_default cache auto
run env LD_LIBRARY_PATH="$T_DIR/nolib" "$OPTT_TOKEN" get ddi
is "libsecret unloadable, cache = auto: the file cache serves" "$RC" 0
like "... the token" "$OUT" '^[A-Za-z0-9._-]{20,}$'
set_default cache keyring
login_alice optt
is "keyring: password login exit 0" "$RC" 0
found=$(secret-tool search --all profile optt subject alice 2>&1)
like "keyring: item stored under schema ca.optt.Token" "$found" 'schema = ca.optt.Token'
like "keyring: label names profile and subject" "$found" 'label = OPTT token: optt \(alice\)'
like "keyring: the record holds the refresh token" "$found" '"refresh_token":'
unlike "keyring: never the password" "$found" 'alice-pw-3141'
if [ -e "$(cache_file optt alice)" ]; then not_ok "keyring: no record file written"; else ok "keyring: no record file written"; fi
n=$(idp_count optt_token)
run "$OPTT_TOKEN" get optt
is "keyring: get exit 0" "$RC" 0
like "keyring: get prints the token" "$OUT" '^eyJ'
is "keyring: cached get makes no request" "$(idp_count optt_token)" "$n"
idp_ctl "config?lifetime=30" # below refresh_margin (60) for every dialect: stale at once
n=$(idp_count ddi_token)
run "$OPTT_TOKEN" login ddi
idp_ctl "config?lifetime=3600"
run "$OPTT_TOKEN" get ddi
is "keyring: login, then the expired record -> one new grant" "$(idp_count ddi_token)" $((n + 2))
# a refresh on the keyring, message by message (dbus-monitor on the
# private bus): the record goes back onto its own item (one SetSecret, no
# CreateItem), one transfer session, and few messages in all
need dbus-monitor
# (no sleeps: the monitor is watching once the bus says it lost its name,
# and a marker call after CMD, seen in the output, means CMD's calls are in)
wait_for() { # REGEX FILE: until FILE has a line matching REGEX (at most 10 s)
	i=0
	until grep -q "$1" "$2" 2>/dev/null || [ $i -gt 500 ]; do sleep 0.02; i=$((i + 1)); done
	grep -q "$1" "$2" 2>/dev/null || not_ok "dbus-monitor shows $1" "$(head -c 1000 "$2")"
}
sec_calls() { # CMD... -> the Secret Service methods CMD called, one a line
	dbus-monitor --address "$DBUS_SESSION_BUS_ADDRESS" "type='method_call',destination='org.freedesktop.secrets'" \
		>"$T_DIR/mon.out" 2>&1 &
	mpid=$!
	wait_for 'member=NameLost' "$T_DIR/mon.out"
	"$@" >/dev/null 2>&1
	dbus-send --session --print-reply --dest=org.freedesktop.secrets /optt/test/mark \
		org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1
	wait_for 'path=/optt/test/mark' "$T_DIR/mon.out"
	kill "$mpid"
	wait "$mpid" 2>/dev/null
	grep '^method call' "$T_DIR/mon.out" | grep -v 'path=/optt/test/mark' |
		sed -n 's/.*member=\([A-Za-z]*\).*/\1/p'
}
idp_ctl "config?lifetime=30"
login_alice optt
idp_ctl "config?lifetime=3600"
n=$(idp_count optt_refresh)
calls=$(sec_calls "$OPTT_TOKEN" get optt)
is "keyring refresh: one refresh request" "$(idp_count optt_refresh)" $((n + 1))
is "... stored onto the record's item: one SetSecret" "$(printf '%s\n' "$calls" | grep -c '^SetSecret$')" 1
is "... no CreateItem" "$(printf '%s\n' "$calls" | grep -c '^CreateItem$')" 0
is "... one transfer session" "$(printf '%s\n' "$calls" | grep -c '^OpenSession$')" 1
n=$(printf '%s\n' "$calls" | grep -c .)
[ "$n" -le 12 ] && ok "... $n calls to the Secret Service (no item objects: at most 12)" ||
	not_ok "... at most 12 calls to the Secret Service" "$calls"
like "... the stored record is the new one" "$(secret-tool lookup profile optt subject alice)" '"expires_at":[1-9]'
is "... still one item for it" "$(secret-tool search --all profile optt subject alice 2>&1 | grep -c '^\[')" 1
set_default cache auto
run "$OPTT_TOKEN" status optt
like "cache = auto with an unlocked keyring uses it" "$OUT" 'backend: keyring'
run "$OPTT_TOKEN" logout optt
is "keyring: logout exit 0" "$RC" 0
found=$(secret-tool search --all profile optt 2>&1)
unlike "keyring: logout removed the item" "$found" 'ca.optt.Token'

# --- locked collection: never a prompt ----------------------------------
login_alice optt
check "lock the login collection over D-Bus" timeout 10 dbus-send --session --print-reply \
	--dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock \
	array:objpath:/org/freedesktop/secrets/collection/login
set_default cache keyring
run "$OPTT_TOKEN" get optt --username alice
is "locked keyring, cache = keyring: exit 3, no prompt" "$RC" 3
like "... saying it is locked" "$ERR" 'locked'
set_default cache auto
run --stdin alice-pw-3141 "$OPTT_TOKEN" login optt --username alice --password-stdin
is "locked keyring, cache = auto: falls back to the file cache" "$RC" 0
run "$OPTT_TOKEN" status optt
like "... file backend" "$OUT" 'backend: file'
t_done
