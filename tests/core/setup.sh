#!/bin/sh
# optt-token setup git|docker [PROFILE] [--undo] (SPEC §13), checked with
# the real readers: `git config --get-all` and `git credential fill`
# (which must reach our helper), and skopeo reading the written docker
# config and containers auth file (`skopeo login --get-login`, which asks
# the credHelpers entry's helper).  Idempotent; --undo removes exactly
# what setup added; every other key and the file's mode are kept.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need git skopeo sha256sum stat python3
idp_start
write_conf
{
	ddi_profile reg 'hosts=registry.example.com:5000 forge.example.com/team *.wild.example.com' username=ci-bot
	ddi_profile nohosts
} >>"$OPTT_CONFIG"
export PATH="$OPTT_TOP_BUILDDIR/git_helper:$OPTT_TOP_BUILDDIR/docker_helper:$PATH" GIT_TERMINAL_PROMPT=0 \
	GIT_CONFIG_NOSYSTEM=1
unset DOCKER_CONFIG REGISTRY_AUTH_FILE
GC="$HOME/.gitconfig"
sum() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }
jsonkeys() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(json.dumps(d, sort_keys=True))' "$1"; }

# --- git
git config --global user.name "Some One"
git config --global credential.https://registry.example.com:5000.helper store
before=$(sum "$GC")
run "$OPTT_TOKEN" setup git reg
is "setup git: exit 0" "$RC" 0
is "... credential.https://registry.example.com:5000.helper: the other helper kept, optt added" \
	"$(git config --global --get-all credential.https://registry.example.com:5000.helper | tr '\n' ' ')" "store optt "
is "... the path entry" "$(git config --global --get-all credential.https://forge.example.com/team.helper)" optt
is "... with useHttpPath on that URL (git sends the path the profile is chosen by)" \
	"$(git config --global --get credential.https://forge.example.com/team.useHttpPath)" true
is "... the wildcard entry" "$(git config --global --get-all 'credential.https://*.wild.example.com.helper')" optt
is "... other settings kept" "$(git config --global user.name)" "Some One"
like "... says what it added" "$ERR" 'added credential.https://forge.example.com/team.helper = optt'
once=$(sum "$GC")
run "$OPTT_TOKEN" setup git reg
is "setup git twice: exit 0" "$RC" 0
is "... changes nothing the second time" "$(sum "$GC")" "$once"
like "... and says so" "$ERR" 'already names optt'
TOKEN=$("$OPTT_TOKEN" get reg)
for h in a.wild.example.com registry.example.com:5000; do
	out=$(printf 'protocol=https\nhost=%s\n\n' "$h" | git credential fill 2>&1)
	like "git credential fill for $h reaches our helper" "$out" "password=$TOKEN"
done
out=$(printf 'protocol=https\nhost=forge.example.com\npath=team/app.git\n\n' | git credential fill 2>&1)
like "... and for the path entry (git sends the path)" "$out" "password=$TOKEN"
run "$OPTT_TOKEN" setup git reg --undo
is "setup git --undo: exit 0" "$RC" 0
is "... the other helper stays" "$(git config --global --get-all credential.https://registry.example.com:5000.helper)" store
is "... ~/.gitconfig is as it was" "$(sum "$GC")" "$before"
unlike "... no git error printed (git drops an emptied section itself)" "$ERR" "fatal:"
unlike "... nor any other line of git's" "$ERR" "error:"
run "$OPTT_TOKEN" setup git reg --undo
is "--undo twice: exit 0, nothing to do" "$RC$(sum "$GC")" "0$before"
unlike "... and no git error" "$ERR" "fatal:"
# a useHttpPath the user had set before setup stays (issue 20 item 13)
git config --global credential.https://forge.example.com/team.useHttpPath true
before=$(sum "$GC")
run "$OPTT_TOKEN" setup git reg
is "the user's own useHttpPath: setup git: exit 0" "$RC" 0
unlike "... setup does not claim it" "$ERR" "added credential.https://forge.example.com/team.useHttpPath"
out=$(printf 'protocol=https\nhost=forge.example.com\npath=team/app.git\n\n' | git credential fill 2>&1)
like "... git still reaches our helper for the path entry" "$out" "password=$TOKEN"
run "$OPTT_TOKEN" setup git reg --undo
is "... --undo: exit 0" "$RC" 0
is "... the user's useHttpPath = true stays" \
	"$(git config --global --get credential.https://forge.example.com/team.useHttpPath)" true
is "... ~/.gitconfig is as it was before setup" "$(sum "$GC")" "$before"
unlike "... no git error printed" "$ERR" "fatal:"
git config --global --remove-section credential.https://forge.example.com/team 2>/dev/null || :
run "$OPTT_TOKEN" setup git nohosts
is "a profile without hosts: exit 2" "$RC" 2
like "... says why" "$ERR" 'has no hosts'
run "$OPTT_TOKEN" setup git nosuch
is "an unknown profile: exit 2" "$RC" 2
run "$OPTT_TOKEN" setup svn reg
is "setup svn: a usage error" "$RC" 2
run "$OPTT_TOKEN" setup git reg --authfile /tmp/x
is "--authfile with git: a usage error" "$RC" 2

# --- docker: a fresh file
DC="$HOME/.docker/config.json"
run "$OPTT_TOKEN" setup docker reg
is "setup docker, no config.json yet: exit 0" "$RC" 0
is "... created 0600 in a 0700 directory" "$(stat -c %a "$DC" "$HOME/.docker" 2>&1 | tr '\n' ' ')" "600 700 "
is "... credHelpers for the registry only (no wildcard, no git path)" "$(jsonkeys "$DC")" \
	'{"credHelpers": {"registry.example.com:5000": "optt"}}'
like "... says why the others were skipped" "$ERR" 'wild.example.com skipped'
is "skopeo reads it: the login for the registry comes from our helper" \
	"$(skopeo login --get-login --authfile "$DC" registry.example.com:5000 2>&1)" ci-bot
run "$OPTT_TOKEN" setup docker reg --undo
is "setup docker --undo: exit 0" "$RC" 0
is "... leaves an empty object" "$(jsonkeys "$DC")" '{}'

# --- docker: an existing file with other keys and another mode
cat >"$DC" <<'EOJ'
{
	"auths": {"other.example.com": {"auth": "dTpw"}},
	"credsStore": "secretservice",
	"credHelpers": {"ecr.example.com": "ecr-login", "registry.example.com:5000": "optt-old"},
	"psFormat": "table {{.ID}}"
}
EOJ
chmod 640 "$DC"
orig=$(jsonkeys "$DC")
run "$OPTT_TOKEN" setup docker reg
is "an entry naming another helper: left alone (exit 0)" "$RC$(jsonkeys "$DC")" "0$orig"
like "... and said so" "$ERR" 'names another helper; left alone'
python3 - "$DC" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
del d["credHelpers"]["registry.example.com:5000"]
json.dump(d, open(sys.argv[1], "w"))
PY
orig=$(jsonkeys "$DC")
run "$OPTT_TOKEN" setup docker reg
is "setup docker on an existing file: exit 0" "$RC" 0
is "... every other key kept, ours added" "$(jsonkeys "$DC")" \
	'{"auths": {"other.example.com": {"auth": "dTpw"}}, "credHelpers": {"ecr.example.com": "ecr-login", "registry.example.com:5000": "optt"}, "credsStore": "secretservice", "psFormat": "table {{.ID}}"}'
is "... the mode kept" "$(stat -c %a "$DC")" 640
is "... no temp file left" "$(ls -A "$HOME/.docker" | grep -c optt)" 0
once=$(sum "$DC")
m1=$(stat -c %Y.%i "$DC")
run "$OPTT_TOKEN" setup docker reg
is "setup docker twice: the file is not rewritten" "$(sum "$DC") $(stat -c %Y.%i "$DC")" "$once $m1"
is "skopeo reads the credHelpers entry among the other keys" \
	"$(skopeo login --get-login --authfile "$DC" registry.example.com:5000 2>&1)" ci-bot
run "$OPTT_TOKEN" setup docker reg --undo
is "--undo: exactly what setup added is gone" "$(jsonkeys "$DC")" "$orig"
is "... the mode kept" "$(stat -c %a "$DC")" 640

# --- the containers auth file: REGISTRY_AUTH_FILE and --authfile
AF="$T_DIR/containers/auth.json"
mkdir -p "$T_DIR/containers"
printf '{"auths": {}}\n' >"$AF"
REGISTRY_AUTH_FILE=$AF run "$OPTT_TOKEN" setup docker reg
is "REGISTRY_AUTH_FILE: exit 0" "$RC" 0
is "... its file has the entry" "$(jsonkeys "$AF")" '{"auths": {}, "credHelpers": {"registry.example.com:5000": "optt"}}'
is "... and so has config.json" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["credHelpers"]["registry.example.com:5000"])' "$DC")" optt
is "skopeo with REGISTRY_AUTH_FILE finds our helper" \
	"$(REGISTRY_AUTH_FILE=$AF skopeo login --get-login registry.example.com:5000 2>&1)" ci-bot
REGISTRY_AUTH_FILE=$AF run "$OPTT_TOKEN" setup docker reg --undo
is "... --undo" "$(jsonkeys "$AF")" '{"auths": {}}'
AF2="$T_DIR/containers/other.json"
run "$OPTT_TOKEN" setup docker reg --authfile "$AF2"
is "--authfile PATH (new): exit 0" "$RC" 0
is "... its file has the entry" "$(jsonkeys "$AF2")" '{"credHelpers": {"registry.example.com:5000": "optt"}}'

# --- refusals change nothing
ln -s "$DC" "$T_DIR/link.json"
before=$(sum "$DC")
run "$OPTT_TOKEN" setup docker reg --authfile "$T_DIR/link.json"
is "an auth file that is a symbolic link: exit 1" "$RC" 1
like "... says so" "$ERR" 'symbolic link'
is "... its target unchanged" "$(sum "$DC")" "$before"
printf '[1, 2]\n' >"$T_DIR/array.json"
run "$OPTT_TOKEN" setup docker reg --authfile "$T_DIR/array.json"
is "an auth file that is not a JSON object: exit 1, unchanged" "$RC $(cat "$T_DIR/array.json")" "1 [1, 2]"
t_done
