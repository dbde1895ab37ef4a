#!/bin/sh
# SPEC §15 through real libpam, the system's NSS and libnss_optt.so.2 in a
# private mount namespace (nss-env.sh): a name that exists only at the IdP
# is registered by its first online login; what getent, id, su and sudo see
# before and after, as root and as another user; the ledger's files and
# modes; refusals before any request (names, ignore, a local group's name,
# a held UID, another provider); subject binding; two hosts; pins; 50
# concurrent first logins and 10 of one name; users list/show/forget;
# check-config --pam's [users] warnings.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/nss/nss-env.sh"
need su sudo sha256sum
idp_start
ns_local_user optt-nss-u
nss_conf "register = yes
ignore = nssu-ign* gdm*"
PW=nss-pw-4242
as_user() { in_ns su optt-nss-u -s /bin/sh -c "$*"; }

# --- before any login: nobody knows the name
in_ns getent passwd nssu-alpha >/dev/null
is "before: getent passwd nssu-alpha (root): not found" "$?" 2
as_user "getent passwd nssu-alpha" >/dev/null
is "before: getent passwd nssu-alpha (another user): not found" "$?" 2
in_ns su nssu-alpha -s /bin/sh -c true 2>/dev/null
[ $? -ne 0 ] && ok "before: su nssu-alpha fails" || not_ok "before: su nssu-alpha fails"
in_ns sudo -n -u nssu-alpha true 2>/dev/null
[ $? -ne 0 ] && ok "before: sudo -u nssu-alpha fails" || not_ok "before: sudo -u nssu-alpha fails"

# --- the first login registers (register = yes, a name unknown to NSS)
UA=$(uid_of nssu-alpha)
[ -n "$UA" ] && ok "the rule's UID for nssu-alpha: $UA" || not_ok "optt-token users show gives the rule's UID"
pam_drive nssu-alpha wrong-pw
is "wrong password: PAM_AUTH_ERR" "$CODE" PAM_AUTH_ERR
unlike "... nothing registered" "$(ledger_file passwd)" nssu-alpha
pam_drive nssu-alpha "$PW"
is "right password: PAM_SUCCESS" "$CODE" PAM_SUCCESS
is "... one request" "$REQS" 1
is "... passwd line" "$(ledger_file passwd)" "nssu-alpha:*:$UA:$UA::/home/nssu-alpha:/bin/bash"
is "... private group" "$(ledger_file group)" "nssu-alpha:x:$UA:"
like "... state: provider, subject, times" "$(ledger_file state)" "^nssu-alpha:https%3A//127\.0\.0\.1%3A[0-9]+/gateway/uaa/oauth/token:nssu-alpha:[0-9]+:[0-9]+:\$"
is "... modes: dir 755, passwd 644, group 644, state 600 (root)" \
	"$(stat -c '%U %a' "$NS/ledger" "$NS/ledger/passwd" "$NS/ledger/group" "$NS/ledger/state" | tr '\n' ' ')" \
	"root 755 root 644 root 644 root 600 "
is "after: getent passwd (root)" "$(in_ns getent passwd nssu-alpha)" "nssu-alpha:*:$UA:$UA::/home/nssu-alpha:/bin/bash"
is "after: getent passwd (another user)" "$(as_user getent passwd nssu-alpha)" "nssu-alpha:*:$UA:$UA::/home/nssu-alpha:/bin/bash"
is "after: getent passwd by UID" "$(as_user getent passwd "$UA" | cut -d: -f1)" nssu-alpha
is "after: getent group (private group)" "$(as_user getent group nssu-alpha)" "nssu-alpha:x:$UA:"
is "after: id (another user)" "$(as_user id nssu-alpha)" "uid=$UA(nssu-alpha) gid=$UA(nssu-alpha) groups=$UA(nssu-alpha)"
like "after: enumeration lists it" "$(in_ns getent passwd)" "^nssu-alpha:"
is "after: su nssu-alpha (root) runs as its UID" "$(in_ns su nssu-alpha -s /bin/sh -c 'id -u' 2>&1)" "$UA"
is "after: sudo -u nssu-alpha runs as its UID" "$(in_ns sudo -n -u nssu-alpha id -u 2>&1)" "$UA"
pam_drive nssu-alpha "$PW"
is "a second login: PAM_SUCCESS, same entry" "$CODE:$(ledger_file passwd)" "PAM_SUCCESS:nssu-alpha:*:$UA:$UA::/home/nssu-alpha:/bin/bash"

# --- another host (its own ledger, the same configuration): the same UID
H2="$T_DIR/host2"
mkdir -m 755 "$H2"
NS_LEDGER="$H2" pam_drive nssu-alpha "$PW"
is "host 2: nssu-alpha gets the same UID as on host 1" \
	"$CODE:$(NS_LEDGER="$H2" ledger_file passwd | grep '^nssu-alpha:' | cut -d: -f3)" "PAM_SUCCESS:$UA"

# --- refused before any request
for n in NSSU-UPPER nssu-ign1 gdm-x root-like:x; do
	pam_drive "$n" "$PW"
	is "'$n' (fails names or ignore): PAM_USER_UNKNOWN, no request" "$CODE:$REQS" "PAM_USER_UNKNOWN:0"
done
pam_drive staff "$PW"
is "a local group's name: PAM_USER_UNKNOWN, no request" "$CODE:$REQS" "PAM_USER_UNKNOWN:0"
sed -i 's|^\[profile optt\]|[profile other]\ndialect = optt\ntoken_url = https://127.0.0.2:9/elsewhere\n\n[profile optt]|' "$NS/etc-optt/optt.conf"
printf 'auth required %s config=%s profile=other\n' "$PAM_MOD_PATH" "$NS_CONF" >"$NS/pamdrive.d/other"
pam_drive nssu-alpha "$PW" other
is "a registered name through another provider: PAM_PERM_DENIED, no request" "$CODE:$REQS" "PAM_PERM_DENIED:0"

# --- subject binding: the provider's name now belongs to another subject
idp_ctl "subject?user=nssu-alpha&sub=someone-else"
pam_drive nssu-alpha "$PW"
is "another subject for a registered name: PAM_PERM_DENIED" "$CODE" PAM_PERM_DENIED
is "... after the one request" "$REQS" 1
idp_ctl "subject?user=nssu-alpha&sub="
pam_drive nssu-alpha "$PW"
is "its own subject again: PAM_SUCCESS" "$CODE" PAM_SUCCESS

# --- a held UID: tiny range, two names on one UID; two hosts; a pin
nss_conf "register = yes
uid_range = 300000-300003"
A="" B=""
in_ns sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf "nssu-c%s " $i; "$0" --config "$1" users show nssu-c$i | sed -n "s/^  the rule gives: UID \([0-9]*\).*/\1/p"; done' \
	"$OPTT_TOKEN" "$NS_CONF" >"$T_DIR/uids" 2>/dev/null
set -- $(awk '{ if (seen[$2]) { print seen[$2], $1, $2; exit } seen[$2] = $1 }' "$T_DIR/uids")
A=${1:-} B=${2:-} U=${3:-}
[ -n "$A" ] && ok "two names share a UID in a range of four: $A, $B ($U)" || { not_ok "a colliding pair"; t_done; }
H2="$T_DIR/host2b"
mkdir -m 755 "$H2"
pam_drive "$A" "$PW"
is "host 1: $A registers with $U" "$CODE:$(ledger_file passwd | grep "^$A:" | cut -d: -f3)" "PAM_SUCCESS:$U"
pam_drive "$B" "$PW"
is "host 1: $B is refused, no request (uid-collision)" "$CODE:$REQS" "PAM_PERM_DENIED:0"
unlike "... and not registered" "$(ledger_file passwd)" "$B:"
export NS_LEDGER="$H2"
pam_drive "$B" "$PW"
is "host 2: $B registers first there, with the same UID $U" "$CODE:$(ledger_file passwd | grep "^$B:" | cut -d: -f3)" "PAM_SUCCESS:$U"
pam_drive "$A" "$PW"
is "host 2: now $A is refused there" "$CODE:$REQS" "PAM_PERM_DENIED:0"
printf '%s:%s\n' "$A" 400123 >"$NS/etc-optt/uids"
pam_drive "$A" "$PW"
is "host 2: a pin resolves it ($A gets 400123)" "$CODE:$(ledger_file passwd | grep "^$A:" | cut -d: -f3)" "PAM_SUCCESS:400123"
like "users show names the pin" "$(in_ns "$OPTT_TOKEN" --config "$NS_CONF" users show "$A" 2>&1)" "pinned"
unset NS_LEDGER
: >"$NS/etc-optt/uids"
like "users show of an unregistered colliding name says who holds the UID" \
	"$(in_ns "$OPTT_TOKEN" --config "$NS_CONF" users show "$B" 2>&1)" "held by: the registered user '$A'"

# --- many at once: 50 names, and 10 logins of one name (a generous
# timeout: 60 TLS logins at once on two CPUs)
NS_TIMEOUT=60 nss_conf "register = yes"
i=0 pids=""
while [ $i -lt 50 ]; do
	(PD_TAG=m$i pam_drive "nssu-m$i" "$PW"; echo "$CODE" >"$T_DIR/m$i.code") &
	pids="$pids $!"
	i=$((i + 1))
done
j=0
while [ $j -lt 10 ]; do
	(PD_TAG=s$j pam_drive nssu-same "$PW"; echo "$CODE" >"$T_DIR/s$j.code") &
	pids="$pids $!"
	j=$((j + 1))
done
wait $pids
is "60 concurrent logins: all PAM_SUCCESS" "$(cat "$T_DIR"/m*.code "$T_DIR"/s*.code | sort | uniq -c | sed 's/^ *//')" "60 PAM_SUCCESS"
is "... 50 + 1 new entries, none lost" "$(ledger_file passwd | grep -c '^nssu-[ms]')" 51
is "... nssu-same once" "$(ledger_file passwd | grep -c '^nssu-same:')" 1
is "... no UID twice" "$(ledger_file passwd | cut -d: -f3 | sort | uniq -d)" ""
is "... every passwd line parses (7 fields)" "$(ledger_file passwd | awk -F: 'NF != 7' | wc -l)" 0
is "... group and state: one line per user" "$(ledger_file group | wc -l):$(ledger_file state | wc -l)" \
	"$(ledger_file passwd | wc -l):$(ledger_file passwd | wc -l)"
is "... no temp file left" "$(ls -A "$NS/ledger" | grep -vcE '^(passwd|group|state|\.lock)$')" 0

# --- the admin's commands
out=$(in_ns "$OPTT_TOKEN" --config "$NS_CONF" users list 2>&1)
like "users list: a row per user with UID and subject" "$out" "^nssu-alpha +$UA +- +[0-9T:Z-]+ +nssu-alpha$"
for s in $FIX_SECRETS nss-pw-4242; do unlike "users list prints no secret ($s)" "$out" "$s"; done
unlike "users list prints no token" "$out" "eyJ"
nss_conf "register = yes"
sed -i 's|^\[profile optt\]|[profile optt]\n|' "$NS/etc-optt/optt.conf"
printf 'auth required %s config=%s offline=1\n' "$PAM_MOD_PATH" "$NS_CONF" >"$NS/pamdrive.d/offline"
pam_drive nssu-alpha "$PW" offline
[ -f "$T_DIR/state/offline/optt@nssu-alpha" ] && ok "an offline verifier exists for nssu-alpha" || not_ok "an offline verifier exists"
# offline (SPEC §15): a registered user logs in with the provider down, the
# ledger untouched; a name neither local nor registered has no offline login
before=$(cat "$NS/ledger/passwd" "$NS/ledger/group" "$NS/ledger/state" | sha256sum)
idp_ctl "fault?mode=503"
pam_drive nssu-alpha "$PW" offline
is "provider down: the registered user logs in offline" "$CODE" PAM_SUCCESS
pam_drive nssu-alpha wrong-pw offline
is "... a wrong password offline: PAM_AUTH_ERR" "$CODE" PAM_AUTH_ERR
pam_drive nssu-offnew "$PW" offline
is "... a new name: PAM_AUTHINFO_UNAVAIL" "$CODE" PAM_AUTHINFO_UNAVAIL
# a verifier left under a name that is not registered (a former local
# account's, say): no offline login for it either
cp -p "$T_DIR/state/offline/optt@nssu-alpha" "$T_DIR/state/offline/optt@nssu-ghost"
pam_drive nssu-ghost "$PW" offline
is "... a new name with a verifier left under it: still PAM_AUTHINFO_UNAVAIL" "$CODE" PAM_AUTHINFO_UNAVAIL
rm -f "$T_DIR/state/offline/optt@nssu-ghost"
is "... the ledger unchanged by all three" "$(cat "$NS/ledger/passwd" "$NS/ledger/group" "$NS/ledger/state" | sha256sum)" "$before"
idp_ctl "fault?mode=none"
run in_ns "$OPTT_TOKEN" --config "$NS_CONF" users forget nssu-alpha
is "users forget: exit 0" "$RC" 0
unlike "... entry gone" "$(ledger_file passwd)" nssu-alpha
unlike "... private group gone" "$(ledger_file group)" nssu-alpha
unlike "... state gone" "$(ledger_file state)" nssu-alpha
[ -f "$T_DIR/state/offline/optt@nssu-alpha" ] && not_ok "... verifier gone" || ok "... verifier gone"
in_ns getent passwd nssu-alpha >/dev/null
is "... getent no longer finds it" "$?" 2
run in_ns "$OPTT_TOKEN" --config "$NS_CONF" users forget nssu-alpha
is "forget again: exit 1 (not registered)" "$RC" 1

# --- check-config --pam: [users] warnings
printf 'session optional pam_mkhomedir.so\n' >"$T_DIR/mkh"
run in_ns "$OPTT_TOKEN" --config "$NS_CONF" check-config --pam
is "check-config --pam: exit 0 with warnings only" "$RC" 0
unlike "... no nsswitch warning (optt on both lines)" "$OUT" "nsswitch.conf"
like "... warns: no pam_mkhomedir in any session stack" "$OUT" "^warning: no session stack"
printf 'passwd: files\ngroup: files\n' >"$NS/nsswitch.conf"
run in_ns "$OPTT_TOKEN" --config "$NS_CONF" check-config --pam
like "... warns: no optt on the passwd line" "$OUT" "^warning: /etc/nsswitch.conf: no 'optt' on the passwd line"
like "... and on the group line" "$OUT" "^warning: /etc/nsswitch.conf: no 'optt' on the group line"
printf 'passwd: files optt\ngroup: files optt\n' >"$NS/nsswitch.conf"
printf 'bad pin line\nnssu-p:12\n' >"$NS/etc-optt/uids"
run in_ns "$OPTT_TOKEN" --config "$NS_CONF" check-config --pam
like "... warns: a pin that does not parse" "$OUT" "uids:1: not a pin"
like "... warns: a pin out of range" "$OUT" "uids:2: not a pin"
: >"$NS/etc-optt/uids"
nss_conf "ssh_first_login = yes"
run in_ns "$OPTT_TOKEN" --config "$NS_CONF" check-config --pam
is "ssh_first_login without register: exit 2" "$RC" 2
like "... naming the file and the key" "$ERR" "optt.conf: \[users\]: key 'ssh_first_login'"
nss_conf "register = yes
uid_range = 10-20"
run in_ns "$OPTT_TOKEN" --config "$NS_CONF" check-config --pam
like "a bad uid_range: exit 2, file, line and key" "$RC:$ERR" "^2:.*optt.conf:[0-9]+: \[users\]: key 'uid_range'"
pam_drive nssu-z "$PW"
is "... and pam_optt refuses to run: PAM_SERVICE_ERR, no request" "$CODE:$REQS" "PAM_SERVICE_ERR:0"
t_done
