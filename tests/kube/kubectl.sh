#!/bin/sh
# SPEC §18 with a real kubectl: Debian 12's 1.20 (kubernetes-client,
# unpacked into the build tree by kube/get-kubectl.sh) against
# kube/kubeapi.py, a loopback HTTPS Kubernetes API that accepts only live
# tokens of the test IdP.  Set up by `optt-token setup kube`.  kubectl get
# pods through `optt-token kube` succeeds; a second command makes no IdP
# request; an expired token is refreshed once for 8 concurrent kubectl
# commands; a token revoked at the server: kubectl reports it, no loop;
# no token and kubectl 1.20 (never interactive): kubectl shows our one
# line naming the login command.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need python3 openssl
KUBECTL="$OPTT_TOP_BUILDDIR/tests/kube/kubernetes-client/usr/bin/kubectl"
[ -x "$KUBECTL" ] || { not_ok "Debian's kubectl unpacked at $KUBECTL" "make -C tests check fetches it (tests/kube/get-kubectl.sh)"; t_done; }
like "it is kubectl 1.20" "$("$KUBECTL" version --client --short 2>&1)" '^Client Version: v1\.20\.'
idp_start
write_conf
unset KUBECONFIG KUBERNETES_EXEC_INFO
K="$T_DIR/kube"
mkdir -p "$K"
python3 "$OPTT_TOP_SRCDIR/tests/kube/kubeapi.py" --state "$K" --idp "$IDP_URL" --cafile "$IDP_CA" >"$K/server.log" 2>&1 &
T_PIDS="$T_PIDS $!"
i=0
until [ -s "$K/port" ] || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$K/port" ] || { not_ok "the Kubernetes API stub starts" "$(cat "$K/server.log")"; t_done; }
KPORT=$(cat "$K/port")
export KUBECONFIG="$T_DIR/kubeconfig"
"$KUBECTL" config set-cluster stub --server="https://127.0.0.1:$KPORT" --certificate-authority="$K/ca.pem" >/dev/null 2>&1
run "$OPTT_TOKEN" setup kube ddi --cluster stub
is "setup kube ddi --cluster stub: exit 0" "$RC" 0
# kc CONTEXT ARGS...: kubectl in that context, bounded
kc() { ctx=$1; shift; run timeout 60 "$KUBECTL" --context "$ctx" "$@"; }

# --- the first command: one grant; the second: no request
n=$(idp_count total)
kc optt-ddi@stub get pods
is "kubectl get pods through optt-token kube: exit 0" "$RC" 0
like "... lists the stub's pod" "$OUT" '^web-1 +Running'
is "... one IdP request (the client-credentials grant)" "$(($(idp_count total) - n))" 1
like "... the API saw a bearer token it accepted" "$(cat "$K/log")" 'GET /api/v1/namespaces/default/pods 200'
n=$(idp_count total)
kc optt-ddi@stub get pods
is "a second kubectl get pods: exit 0" "$RC:$(printf '%s' "$OUT" | grep -c web-1)" "0:1"
is "... no IdP request" "$(($(idp_count total) - n))" 0
kc optt-ddi@stub version
like "kubectl version: the server's" "$OUT" 'Server Version: .*v1\.20\.2-optt-stub'
# what kubectl 1.20 tells the plugin: v1beta1, no spec.interactive
cat >"$T_DIR/plugin-spy" <<EOS
#!/bin/sh
printf '%s\n' "\$KUBERNETES_EXEC_INFO" >"$T_DIR/exec-info"
exec "$OPTT_TOKEN" "\$@"
EOS
chmod 755 "$T_DIR/plugin-spy"
sed "s|command: .*optt-token\$|command: $T_DIR/plugin-spy|" "$KUBECONFIG" >"$T_DIR/kubeconfig.spy"
KUBECONFIG="$T_DIR/kubeconfig.spy" kc optt-ddi@stub get pods
is "through a spy around optt-token: exit 0" "$RC" 0
is "... kubectl 1.20 sends KUBERNETES_EXEC_INFO with v1beta1 and no interactive" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("apiVersion"), "interactive" in d.get("spec", {}))' "$T_DIR/exec-info" 2>&1)" \
	"client.authentication.k8s.io/v1beta1 False"

# --- a password profile: no token -> kubectl shows our line; then login
run "$OPTT_TOKEN" setup kube optt --cluster stub
kc optt-optt@stub get pods
[ "$RC" -ne 0 ] && ok "no token for the password profile: kubectl fails" || not_ok "no token for the password profile: kubectl fails"
like "... showing our one line (the plugin's stderr)" "$ERR" '^optt: no token for profile optt; run: optt-token login optt$'
unlike "... never a prompt" "$ERR" "Password"
login_alice
kc optt-optt@stub get pods
is "after optt-token login: kubectl get pods works" "$RC" 0

# --- expired: 8 kubectl at once, one refresh
python3 - "$(cache_file optt alice)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); r["expires_at"] = 0; json.dump(r, open(sys.argv[1], "w"))
PY
n=$(idp_count total)
r0=$(idp_count optt_refresh)
pids=""
for j in 1 2 3 4 5 6 7 8; do
	timeout 60 "$KUBECTL" --context optt-optt@stub get pods >"$T_DIR/c$j.out" 2>"$T_DIR/c$j.err" &
	pids="$pids $!"
done
fails=0
for p in $pids; do wait "$p" || fails=$((fails + 1)); done
is "expired token, 8 concurrent kubectl get pods: all succeed" "$fails" 0
is "... one refresh" "$(($(idp_count optt_refresh) - r0))" 1
is "... and no other IdP request" "$(($(idp_count total) - n))" 1
is "... each listed the pod" "$(cat "$T_DIR"/c?.out | grep -c '^web-1')" 8

# --- revoked at the server: kubectl reports it, once, no loop
idp_ctl "revoke?what=access"
: >"$K/log"
n=$(idp_count total)
kc optt-optt@stub get pods
[ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && ok "revoked token: kubectl fails (not by the timeout)" ||
	not_ok "revoked token: kubectl fails (not by the timeout)" "rc=$RC"
like "... saying so" "$ERR" 'Unauthorized|must be logged in'
reqs=$(wc -l <"$K/log")
[ "$reqs" -ge 1 ] && [ "$reqs" -le 4 ] && ok "... after a few requests ($reqs), no loop" || not_ok "... after a few requests, no loop" "$(cat "$K/log")"
is "... no IdP request (the token stays cached until it expires, SPEC §18)" "$(($(idp_count total) - n))" 0
"$OPTT_TOKEN" logout optt >/dev/null 2>&1
login_alice
kc optt-optt@stub get pods
is "optt-token logout and login: kubectl works again" "$RC" 0
t_done
