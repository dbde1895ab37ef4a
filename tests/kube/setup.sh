#!/bin/sh
# SPEC §18: optt-token setup kube PROFILE --cluster NAME [--user USER]
# [--undo] on kubeconfigs with other clusters, users and contexts - one
# written by hand (flow lists, quoting, an anchor, a comment) and one
# written by kubectl itself (Debian's 1.20, unpacked by kube/get-kubectl.sh).
# What we promise and check: the users entry and the context as SPEC says,
# read back by kubectl; current-context and every other entry equal as
# parsed YAML (python3-yaml, another parser than ours); the mode kept;
# twice changes nothing (same bytes); --undo gives back the original as
# parsed YAML (and, for kubectl's own file, the same bytes); nothing to
# undo: exit 0, no change; a missing cluster: exit 2, file unchanged; a
# user entry of that name that is not ours: exit 1, file unchanged.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need python3 sha256sum stat
KUBECTL="$OPTT_TOP_BUILDDIR/tests/kube/kubernetes-client/usr/bin/kubectl"
[ -x "$KUBECTL" ] || { not_ok "Debian's kubectl unpacked at $KUBECTL" "make -C tests check fetches it (tests/kube/get-kubectl.sh)"; t_done; }
python3 -c 'import yaml' 2>/dev/null || { not_ok "python3-yaml is installed"; t_done; }
idp_start
write_conf
unset KUBECONFIG
sum() { sha256sum "$1" | cut -d' ' -f1; }
# yq FILE EXPR: a python expression over the parsed file (d), printed as JSON
yq() { python3 -c 'import json,sys,yaml; d=yaml.safe_load(open(sys.argv[1])); print(json.dumps(eval(sys.argv[2]), sort_keys=True))' "$@"; }
# same_but FILE ORIG: FILE as parsed, less our user and context, equals ORIG as parsed
same_but() {
	python3 - "$1" "$2" "${3:-optt-ddi}" "${4:-optt-ddi@prod}" <<'PY'
import sys, yaml
a, b = (yaml.safe_load(open(f)) for f in sys.argv[1:3])
for key, name in (("users", sys.argv[3]), ("contexts", sys.argv[4])):
    a[key] = [e for e in (a.get(key) or []) if e.get("name") != name] or b.get(key)
sys.exit(0 if a == b else 1)
PY
}
SELF=$(readlink -f "$OPTT_TOKEN")

# --- a kubeconfig written by hand
mkdir -p "$HOME/.kube"
KC="$HOME/.kube/config"
cat >"$KC" <<'EOY'
# a comment (libyaml does not keep comments)
apiVersion: v1
kind: Config
current-context: dev@staging
preferences: {colors: true}
clusters:
- name: prod
  cluster: &prodcluster
    server: https://prod.example.com:6443
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJrVENCL3dJSkFLSFpYWnQ=
- name: staging
  cluster: {server: "https://staging.example.com", insecure-skip-tls-verify: true}
- name: copy
  cluster: *prodcluster
users:
- name: dev
  user:
    token: "0123"
    username: 'yes'
- name: other
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: some-plugin
      args: [a, "1.5"]
contexts:
- name: dev@staging
  context: {cluster: staging, user: dev, namespace: team-a}
EOY
chmod 640 "$KC"
cp "$KC" "$T_DIR/orig.yaml"
run "$OPTT_TOKEN" setup kube ddi --cluster prod
is "setup kube: exit 0" "$RC" 0
is "... the users entry optt-ddi runs this optt-token with [kube, ddi]" \
	"$(yq "$KC" '[u for u in d["users"] if u["name"] == "optt-ddi"]')" \
	"[{\"name\": \"optt-ddi\", \"user\": {\"exec\": {\"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"args\": [\"kube\", \"ddi\"], \"command\": \"$SELF\", \"interactiveMode\": \"IfAvailable\"}}}]"
is "... the context optt-ddi@prod" "$(yq "$KC" '[c for c in d["contexts"] if c["name"] == "optt-ddi@prod"]')" \
	'[{"context": {"cluster": "prod", "user": "optt-ddi"}, "name": "optt-ddi@prod"}]'
check "... every other entry, current-context included, equal as parsed YAML" same_but "$KC" "$T_DIR/orig.yaml"
is "... current-context untouched" "$(yq "$KC" 'd["current-context"]')" '"dev@staging"'
is "... the mode kept" "$(stat -c %a "$KC")" 640
like "... says what it added" "$ERR" "added users entry 'optt-ddi'"
like "... both" "$ERR" "added contexts entry 'optt-ddi@prod'"
like "... and how to use it" "$ERR" "use it: kubectl --context optt-ddi@prod"
is "kubectl reads it: the new context" "$("$KUBECTL" config get-contexts -o name 2>&1 | sort | tr '\n' ' ')" "dev@staging optt-ddi@prod "
is "... and our user's exec" "$("$KUBECTL" config view -o jsonpath='{.users[?(@.name=="optt-ddi")].user.exec.command} {.users[?(@.name=="optt-ddi")].user.exec.args}' 2>&1)" \
	"$SELF [\"kube\",\"ddi\"]"
once=$(sum "$KC")
run "$OPTT_TOKEN" setup kube ddi --cluster prod
is "setup kube twice: exit 0" "$RC" 0
is "... the same bytes" "$(sum "$KC")" "$once"
like "... says it is there" "$ERR" "already there"
run "$OPTT_TOKEN" setup kube ddi --cluster nosuch
is "a cluster that is not in the file: exit 2" "$RC" 2
like "... says so" "$ERR" "has no cluster 'nosuch'"
is "... file unchanged" "$(sum "$KC")" "$once"
run "$OPTT_TOKEN" setup kube ddi --cluster prod --user other
is "--user naming a user entry that is not ours: exit 1" "$RC" 1
like "... says why" "$ERR" "users entry 'other' is not the one optt-token would add"
is "... file unchanged" "$(sum "$KC")" "$once"
run "$OPTT_TOKEN" setup kube ddi --cluster staging --user ci
is "--user ci on another cluster: exit 0" "$RC" 0
is "... user ci, context ci@staging" "$(yq "$KC" '[sorted(u["name"] for u in d["users"]), sorted(c["name"] for c in d["contexts"])]')" \
	'[["ci", "dev", "optt-ddi", "other"], ["ci@staging", "dev@staging", "optt-ddi@prod"]]'
run "$OPTT_TOKEN" setup kube ddi --cluster staging --user ci --undo
is "... --undo of that: exit 0" "$RC" 0
is "... the same bytes as before it" "$(sum "$KC")" "$once"
run "$OPTT_TOKEN" setup kube ddi --cluster prod --undo
is "setup kube --undo: exit 0" "$RC" 0
check "... the file equals the original as parsed YAML" python3 -c \
	'import sys,yaml; a,b=(yaml.safe_load(open(f)) for f in sys.argv[1:]); sys.exit(a != b)' "$KC" "$T_DIR/orig.yaml"
is "... the mode kept" "$(stat -c %a "$KC")" 640
undone=$(sum "$KC")
run "$OPTT_TOKEN" setup kube ddi --cluster prod --undo
is "--undo with nothing to undo: exit 0" "$RC" 0
is "... no change" "$(sum "$KC")" "$undone"

# --- a kubeconfig written by kubectl itself (null lists, its quoting), named
# by KUBECONFIG (not set-credentials: Debian's 1.20 built with Go 1.19
# panics in it, in reflect2 - it leaves users: null, which is a case too)
K2="$T_DIR/kc/written-by-kubectl"
mkdir -p "$T_DIR/kc"
"$KUBECTL" config --kubeconfig "$K2" set-cluster lab --server=https://127.0.0.1:6443 >/dev/null &&
	"$KUBECTL" config --kubeconfig "$K2" set-cluster other --server=https://10.0.0.1 >/dev/null &&
	"$KUBECTL" config --kubeconfig "$K2" set-context admin@other --cluster=other --user=admin >/dev/null &&
	"$KUBECTL" config --kubeconfig "$K2" use-context admin@other >/dev/null
check "kubectl wrote a kubeconfig" test -s "$K2"
cp "$K2" "$T_DIR/k2.orig"
KUBECONFIG="$K2:$KC" run "$OPTT_TOKEN" setup kube ddi --cluster lab
is "KUBECONFIG=A:B: setup kube edits A: exit 0" "$RC" 0
is "... B untouched" "$(sum "$KC")" "$undone"
check "... every other entry of A equal as parsed YAML" same_but "$K2" "$T_DIR/k2.orig" optt-ddi optt-ddi@lab
is "kubectl lists the context" "$("$KUBECTL" --kubeconfig "$K2" config get-contexts -o name | sort | tr '\n' ' ')" "admin@other optt-ddi@lab "
is "... current-context still kubectl's" "$("$KUBECTL" --kubeconfig "$K2" config current-context)" admin@other
KUBECONFIG="$K2" run "$OPTT_TOKEN" setup kube ddi --cluster lab --undo
is "--undo: exit 0" "$RC" 0
is "... the file kubectl wrote, byte for byte" "$(sum "$K2")" "$(sum "$T_DIR/k2.orig")"
# kubectl rewrites the file in its own way (1.20 drops interactiveMode): the next setup updates our entry
KUBECONFIG="$K2" "$OPTT_TOKEN" setup kube ddi --cluster lab 2>/dev/null
"$KUBECTL" --kubeconfig "$K2" config use-context optt-ddi@lab >/dev/null
KUBECONFIG="$K2" run "$OPTT_TOKEN" setup kube ddi --cluster lab
is "after kubectl rewrote the file: exit 0" "$RC" 0
like "... our entry updated" "$ERR" "updated users entry 'optt-ddi'"
is "... interactiveMode back" "$(yq "$K2" '[u["user"]["exec"].get("interactiveMode") for u in d["users"] if u["name"] == "optt-ddi"]')" '["IfAvailable"]'
is "... current-context as kubectl left it" "$("$KUBECTL" --kubeconfig "$K2" config current-context)" optt-ddi@lab

# --- refusals, each leaving the file as it was
KUBECONFIG="$T_DIR/kc/none" run "$OPTT_TOKEN" setup kube ddi --cluster lab
is "no kubeconfig: exit 2" "$RC" 2
[ -e "$T_DIR/kc/none" ] && not_ok "... and none made" || ok "... and none made"
ln -s "$K2" "$T_DIR/kc/link"
KUBECONFIG="$T_DIR/kc/link" run "$OPTT_TOKEN" setup kube ddi --cluster lab --undo
is "a symbolic link: exit 2" "$RC" 2
like "... says to name the real file" "$ERR" "symbolic link.*KUBECONFIG"
printf 'clusters: [\n' >"$T_DIR/kc/bad"
KUBECONFIG="$T_DIR/kc/bad" run "$OPTT_TOKEN" setup kube ddi --cluster lab
is "not YAML: exit 2" "$RC" 2
like "... names the line" "$ERR" "not YAML \\(line [0-9]+"
printf -- '- a\n- b\n' >"$T_DIR/kc/list"
KUBECONFIG="$T_DIR/kc/list" run "$OPTT_TOKEN" setup kube ddi --cluster lab
is "not a mapping: exit 2" "$RC" 2
printf 'clusters:\n- name: lab\n  cluster: {server: "https://x"}\nusers: {a: b}\n' >"$T_DIR/kc/odd"
before=$(sum "$T_DIR/kc/odd")
KUBECONFIG="$T_DIR/kc/odd" run "$OPTT_TOKEN" setup kube ddi --cluster lab
is "users that is not a list: exit 2, file unchanged" "$RC$(sum "$T_DIR/kc/odd")" "2$before"
# a minimal file: no users, no contexts keys yet
printf 'clusters:\n- name: lab\n  cluster: {server: "https://x"}\n' >"$T_DIR/kc/min"
KUBECONFIG="$T_DIR/kc/min" run "$OPTT_TOKEN" setup kube 'ddi' --cluster lab --user 123
is "a minimal file, --user 123: exit 0" "$RC" 0
is "... the user name stays a string (quoted)" "$(yq "$T_DIR/kc/min" '[d["users"][0]["name"], d["contexts"][0]["context"]["user"]]')" '["123", "123"]'
run "$OPTT_TOKEN" setup kube ddi
is "no --cluster: a usage error" "$RC" 2
run "$OPTT_TOKEN" setup git ddi --cluster lab
is "--cluster with setup git: a usage error" "$RC" 2
t_done
