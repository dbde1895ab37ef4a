#!/bin/sh
# Stored credentials in the keyring: interop with Debian's
# docker-credential-secretservice in both directions (same schema), a real
# client (python3-dockerpycreds) driving the helper, and the rules for no
# bus / a locked collection (never autolaunch, never prompt).
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/keyring-env.sh"
need docker-credential-secretservice secret-tool
DPY=/usr/bin/python3 # Debian's, where python3-dockerpycreds lives
HELPER_DIR="$OPTT_TOP_BUILDDIR/docker_helper"
[ -x "$HELPER_DIR/docker-credential-optt" ] || { not_ok "docker-credential-optt is built"; t_done; }
export PATH="$HELPER_DIR:$PATH"
idp_start
write_conf
sed -i 's/^cache = file$/cache = keyring/' "$OPTT_CONFIG"
{
	ddi_profile reg hosts=registry.example.com:5000 username=ci-bot
} >>"$OPTT_CONFIG"
OURS=docker-credential-optt
THEIRS=docker-credential-secretservice

# no bus: cache = keyring is a clear error; cache = auto uses the file
run sh -c "echo plain.example.com | $OURS get"
is "no bus, cache = keyring: exit 1" "$RC" 1
like "... saying why, on stdout" "$OUT" 'no session bus'
sed -i 's/^cache = keyring$/cache = auto/' "$OPTT_CONFIG"
run sh -c "printf '%s' '{\"ServerURL\":\"auto.example.com\",\"Username\":\"a\",\"Secret\":\"auto-secret\"}' | $OURS store"
is "no bus, cache = auto: store works (file)" "$RC" 0
like "... in the file" "$(cat "$HOME/.local/share/optt/docker-credentials.json")" 'auto.example.com'
sed -i 's/^cache = auto$/cache = keyring/' "$OPTT_CONFIG"

keyring_start
# theirs -> ours
printf '{"ServerURL":"https://index.docker.io/v1/","Username":"hubuser","Secret":"hub-secret-1"}' | $THEIRS store
printf '{"ServerURL":"their.example.com:5000","Username":"tu","Secret":"their-secret-2"}' | $THEIRS store
for u in their.example.com:5000 https://their.example.com:5000/ their.example.com:5000/team/app; do
	run sh -c "echo '$u' | $OURS get"
	is "stored by secretservice, read by ours as '$u': exit 0" "$RC" 0
	like "... the credential" "$OUT" '"Username":"tu","Secret":"their-secret-2"'
done
run sh -c "$OURS list"
like "our list shows their entries" "$OUT" '"their.example.com:5000":"tu"'
like "... and Docker Hub, spelled as stored" "$OUT" '"https://index.docker.io/v1/":"hubuser"'
run sh -c "echo docker.io | $OURS get"
like "Docker Hub stored by them, asked as docker.io" "$OUT" '"Secret":"hub-secret-1"'
# ours -> theirs
printf '{"ServerURL":"ours.example.com","Username":"ou","Secret":"our-secret-3"}' | $OURS store
run sh -c "echo ours.example.com | $THEIRS get"
is "stored by ours, read by secretservice: exit 0" "$RC" 0
like "... the credential" "$OUT" '"Username":"ou","Secret":"our-secret-3"'
run sh -c "$THEIRS list"
like "their list shows ours" "$OUT" '"ours.example.com":"ou"'
found=$(secret-tool search --all docker_cli 1 2>&1)
like "keyring item: schema io.docker.Credentials" "$found" 'schema = io.docker.Credentials'
like "keyring item: attribute label" "$found" 'attribute.label = Docker Credentials'
like "keyring item: attribute server" "$found" 'attribute.server = ours.example.com'
like "keyring item: attribute username" "$found" 'attribute.username = ou'
# erase across helpers
run sh -c "echo their.example.com:5000 | $OURS erase"
is "ours erases their item: exit 0" "$RC" 0
run sh -c "echo their.example.com:5000 | $THEIRS get"
is "... secretservice no longer finds it" "$RC" 1
printf 'ours.example.com' | $THEIRS erase
run sh -c "echo ours.example.com | $OURS get"
is "theirs erases our item: ours says not found" "$OUT:$RC" "credentials not found in native keychain:1"
# a profile registry never lands in the keyring as a stored credential
printf '{"ServerURL":"registry.example.com:5000","Username":"x","Secret":"never-stored"}' | $OURS store
unlike "profile registry store: not in the keyring" "$(secret-tool search --all docker_cli 1 2>&1)" never-stored
run sh -c "echo registry.example.com:5000 | $OURS get"
like "profile registry get: a token, cached in the keyring" "$OUT" '"Username":"ci-bot","Secret":"[0-9a-f]{20,}"'
like "... (ca.optt.Token item)" "$(secret-tool search --all profile reg 2>&1)" 'schema = ca.optt.Token'

# python3-dockerpycreds, a real client of the protocol
if [ -x "$DPY" ] && "$DPY" -c 'import dockerpycreds' 2>/dev/null; then
	ok "python3-dockerpycreds is installed"
	cat >"$T_DIR/dpy.py" <<'EOP'
import dockerpycreds, json
s = dockerpycreds.Store("optt")
s.store(server="https://py.example.com/v1/", username="pyuser", secret="py-secret-4")
print("get", json.dumps(s.get("py.example.com"), sort_keys=True))
s.erase("https://py.example.com/v1/")
try:
    s.get("py.example.com")
    print("after-erase found")
except dockerpycreds.errors.CredentialsNotFound:
    print("after-erase not-found")
print("profile", json.dumps(s.get("registry.example.com:5000")["Username"]))
EOP
	run "$DPY" "$T_DIR/dpy.py"
	is "dockerpycreds: exit 0" "$RC" 0
	like "dockerpycreds store + get" "$OUT" 'get \{"Secret": "py-secret-4", "ServerURL": "py.example.com", "Username": "pyuser"\}'
	like "dockerpycreds erase -> CredentialsNotFound" "$OUT" 'after-erase not-found'
	like "dockerpycreds get on a profile registry" "$OUT" 'profile "ci-bot"'
else
	not_ok "python3-dockerpycreds is installed (Debian python3-dockerpycreds)"
fi

# a locked collection: cache = auto falls back to the file, without a prompt
dbus-send --session --dest=org.freedesktop.secrets --print-reply /org/freedesktop/secrets \
	org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null 2>&1
sed -i 's/^cache = keyring$/cache = auto/' "$OPTT_CONFIG"
run timeout 20 sh -c "echo auto.example.com | $OURS get"
is "locked keyring, cache = auto: the file backend answers" "$RC:$(printf '%s' "$OUT" | grep -c auto-secret)" "0:1"
[ "$ELAPSED" -le 8 ] && ok "... without waiting on a prompt (${ELAPSED}s)" || not_ok "... without waiting" "${ELAPSED}s"
sed -i 's/^cache = auto$/cache = keyring/' "$OPTT_CONFIG"
run timeout 20 sh -c "echo auto.example.com | $OURS get"
is "locked keyring, cache = keyring: exit 1" "$RC" 1
like "... saying it is locked" "$OUT" 'locked'
t_done
