#!/bin/sh
# SPEC §16 with the system's sshd, id, sudo and getent in a private mount
# namespace (nss-env.sh; /etc/group and /etc/sudoers are the namespace's
# own copies, the host's are only read): a provider role ADMIN mapped to
# sudo gives a ledger user sudo in the session of a real SSH login, for a
# %sudo NOPASSWD rule; getent group sudo lists the user with
# [SUCCESS=merge] only; the provider drops the role and the next online
# login takes sudo away, an offline login keeps the last set; group_prefix,
# unmapped values, values dropped by the filter, 64 values kept of 10,000,
# a repeated value counted once; the device grant's ID token read before
# the access token; sshd's AllowGroups at a first login; the configuration
# checks; users list/show/forget; /etc/group never written.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/nss/nss-env.sh"
need sudo python3 sha256sum pamtester
ls /usr/lib/*/libpam_wrapper.so >/dev/null 2>&1 || { not_ok "libpam_wrapper.so is installed (Debian libpam-wrapper)"; t_done; }
idp_start
idp_ctl "config?device_interval=1&device_expires=60"
PW=nss-pw-4242
# the host's /etc/group as this suite leaves it: other suites of a
# parallel make check may add their own users there meanwhile, so the
# check below is on what this suite could have written
HOST_SUDO=$(grep '^sudo:' /etc/group)

# the namespace's /etc/group: the host's, with docker (when the host has
# none) and a second test group at GIDs nobody has
cp /etc/group "$NS/group"
free_gid() { g=$1; while awk -F: -v g="$g" '$3 == g { f = 1 } END { exit !f }' "$NS/group"; do g=$((g + 1)); done; echo "$g"; }
grep -q '^docker:' "$NS/group" || printf 'docker:x:%s:\n' "$(free_gid 59990)" >>"$NS/group"
grep -q '^sudo:' "$NS/group" || printf 'sudo:x:%s:\n' "$(free_gid 59980)" >>"$NS/group"
printf 'opttother:x:%s:\n' "$(free_gid 59970)" >>"$NS/group"
chmod 644 "$NS/group"
NS_GROUP=$(sha256sum <"$NS/group")
gid_of() { awk -F: -v n="$1" '$1 == n { print $3; exit }' "$NS/group"; }
SUDO=$(gid_of sudo) DOCKER=$(gid_of docker) OTHER=$(gid_of opttother)
SUDO_LINE=$(grep '^sudo:' "$NS/group")
# a test sudoers: root, and %sudo without a password
printf 'Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n%%sudo ALL=(ALL:ALL) NOPASSWD: ALL\n' >"$NS/sudoers"
chmod 440 "$NS/sudoers"
NSS_PLAIN='passwd:         files optt
group:          files optt
hosts:          files'
NSS_MERGE='passwd:         files optt
group:          files [SUCCESS=merge] optt
hosts:          files'
printf '%s\n' "$NSS_PLAIN" >"$NS/nsswitch.conf"
groups_conf() { # [EXTRA-USERS-LINES]: the suite's configuration, and a device profile
	nss_conf "register = yes
ssh_first_login = yes
group_map = ADMIN:sudo NOSUCH:nosuchgroup
group_prefix = linux-
${1:-}"
	printf '\n[profile dev]\ngrant = device\ntoken_url = %s/rfc/token\ndevice_authorization_url = %s/rfc/device\nclient_id = rfc-public\n' \
		"$IDP_URL" "$IDP_URL" >>"$NS/etc-optt/optt.conf"
}
groups_conf
ids() { in_ns id -Gn "$1" 2>&1; }

# --- sshd in the namespace (keyboard-interactive, offline=1 in its stack)
cp -a /etc/pam.d "$NS/pam.d"
cat >"$NS/pam.d/sshd" <<EOP
# optt-auth tests/nss/groups.sh (inside a private mount namespace)
auth     [success=done default=die] $PAM_MOD_PATH config=$NS_CONF offline=1
account  required pam_unix.so
session  required pam_mkhomedir.so umask=0022 skel=/etc/skel
session  required pam_permit.so
EOP
printf 'auth required %s config=%s profile=dev flow=device\naccount required pam_permit.so\n' "$PAM_MOD_PATH" "$NS_CONF" \
	>"$NS/pam.d/optt-dev"
ns_sshd 'Match User nssu-ag*
	AllowGroups sudo'
SESSION='echo "groups: $(id -Gn)"; sudo -n -l >/tmp/sudo.$$ 2>&1; echo "sudo-rc=$?"; cat /tmp/sudo.$$; rm -f /tmp/sudo.$$'

# --- ADMIN -> sudo at a first SSH login
idp_claims nssu-adm access '{"authorities": ["INSTITUTE", "ADMIN"]}'
ssh_login nssu-adm "$PW" keyboard-interactive "$SESSION"
is "first SSH login of a user whose token has authorities [INSTITUTE, ADMIN]: exit 0" "$RC" 0
like "... id in the session lists sudo" "$OUT" "^groups: nssu-adm( .*)? sudo( |\$)"
like "... sudo -n -l allows (%sudo NOPASSWD)" "$OUT" "^sudo-rc=0\$"
like "... and says so" "$OUT" "NOPASSWD: ALL"
is "the ledger: the user in the sudo line, with /etc/group's GID" "$(ledger_file group | grep '^sudo:')" "sudo:x:$SUDO:nssu-adm"
like "... the state line names the group" "$(ledger_file state | grep '^nssu-adm:')" ":sudo\$"
is "getent group sudo without [SUCCESS=merge]: /etc/group's line alone" "$(in_ns getent group sudo)" "$SUDO_LINE"
printf '%s\n' "$NSS_MERGE" >"$NS/nsswitch.conf"
like "getent group sudo with group: files [SUCCESS=merge] optt: the user is listed" "$(in_ns getent group sudo)" \
	"^sudo:x:$SUDO:(.*,)?nssu-adm\$"
like "... getent group $SUDO (by GID) too" "$(in_ns getent group "$SUDO")" "^sudo:x:$SUDO:(.*,)?nssu-adm\$"
is "... another user sees the same" "$(in_ns su nobody -s /bin/sh -c 'getent group sudo')" "$(in_ns getent group sudo)"
grp=$(in_ns getent -s optt group)
like "group enumeration through optt: the private group" "$grp" "^nssu-adm:x:"
unlike "... never the mapped local group" "$grp" "sudo:"
printf '%s\n' "$NSS_PLAIN" >"$NS/nsswitch.conf"
is "id (another user): private group and sudo" "$(in_ns su nobody -s /bin/sh -c 'id -Gn nssu-adm')" "nssu-adm sudo"
# a local account made later under the same name (files answers first)
# is not the ledger user: none of its mapped groups, sudo least of all
ns_local_user nssu-adm
is "a later local account of the same name: id -Gn lists its own group only" "$(ids nssu-adm)" "users"
in_ns su nssu-adm -s /bin/sh -c 'sudo -n true' >/dev/null 2>&1
rc=$?
[ "$rc" -ne 0 ] && ok "... and sudo -n refuses it (exit $rc)" || not_ok "... and sudo -n refuses it"
rm -f "$NS/passwd" "$NS/shadow"
is "... gone again: the ledger user has sudo" "$(ids nssu-adm)" "nssu-adm sudo"

# --- the provider drops ADMIN: the next online login takes sudo away
idp_claims nssu-adm access '{"authorities": ["INSTITUTE"]}'
ssh_login nssu-adm "$PW" keyboard-interactive "$SESSION"
is "the provider dropped ADMIN; next SSH login: exit 0" "$RC" 0
like "... id in the session: no sudo" "$OUT" "^groups: nssu-adm\$"
like "... sudo -n -l refuses" "$OUT" "^sudo-rc=1\$"
unlike "... the ledger's sudo line no longer has the user" "$(ledger_file group)" "nssu-adm,"
is "... no mapped line left" "$(ledger_file group | grep -c '^sudo:')" 0
# ADMIN back, then an offline login (provider down): the last set stays
idp_claims nssu-adm access '{"authorities": ["ADMIN"]}'
ssh_login nssu-adm "$PW" keyboard-interactive 'id -Gn'
is "ADMIN back: the next online login gives sudo again" "$RC:$OUT" "0:nssu-adm sudo"
before=$(cat "$NS/ledger/passwd" "$NS/ledger/group" "$NS/ledger/state" | sha256sum)
idp_claims nssu-adm access '{"authorities": []}'
idp_ctl "fault?mode=503"
ssh_login nssu-adm "$PW" keyboard-interactive 'id -Gn'
is "provider down, an offline SSH login: the last online login's groups (sudo)" "$RC:$OUT" "0:nssu-adm sudo"
is "... the ledger unchanged" "$(cat "$NS/ledger/passwd" "$NS/ledger/group" "$NS/ledger/state" | sha256sum)" "$before"
idp_ctl "fault?mode=none"
ssh_login nssu-adm "$PW" keyboard-interactive 'id -Gn'
is "provider back, roles now empty: the online login takes sudo away" "$RC:$OUT" "0:nssu-adm"

# --- sshd's AllowGroups sees only the private group at a first login
idp_claims nssu-ag1 access '{"authorities": ["ADMIN"]}'
ssh_login nssu-ag1 "$PW" keyboard-interactive 'echo ran'
[ "$RC" -ne 0 ] && ok "AllowGroups sudo, a first login with ADMIN: refused (sshd sees the private group only)" ||
	not_ok "AllowGroups sudo at a first login: refused" "$OUT"
unlike "... not registered" "$(ledger_file passwd)" "nssu-ag1:"
pam_drive nssu-ag1 "$PW"
is "registered by another login (PAM): sudo in the ledger" "$CODE:$(ids nssu-ag1)" "PAM_SUCCESS:nssu-ag1 sudo"
ssh_login nssu-ag1 "$PW" keyboard-interactive 'echo ran'
is "... then sshd's AllowGroups sudo lets it in" "$RC:$OUT" "0:ran"

# --- group_prefix, unmapped values, a group that is not local (logged)
idp_claims nssu-pfx access '{"authorities": ["linux-docker", "linux-nosuchgroup", "OTHER", "NOSUCH"], "groups": "linux-opttother"}'
NS_PAMLOG=1 pam_drive nssu-pfx "$PW"
is "group_prefix = linux-: linux-docker and linux-opttother (a string claim) give docker and opttother" \
	"$CODE:$(ids nssu-pfx)" "PAM_SUCCESS:nssu-pfx docker opttother"
is "... with the GIDs of /etc/group" "$(in_ns id -G nssu-pfx | cut -d' ' -f2-)" "$DOCKER $OTHER"
like "... a mapped group that is not local: one log line" "$SYSLOG" "user=nssu-pfx groups: 'nosuchgroup' .*not a local group.*skipped"
is "... one for each (group_map NOSUCH:nosuchgroup and linux-nosuchgroup are one group)" "$(printf '%s\n' "$SYSLOG" | grep -c 'not a local group')" 1
unlike "... an unmapped value (OTHER): no group, no log line" "$SYSLOG" "OTHER"
is "... the state line: claim order" "$(ledger_file state | grep '^nssu-pfx:' | cut -d: -f6)" "docker,opttother"
# GID 0 (root's group) is never given by a prefix, only by an explicit group_map
idp_claims nssu-pfx0 access '{"authorities": ["linux-root", "linux-docker"]}'
NS_PAMLOG=1 pam_drive nssu-pfx0 "$PW"
is "linux-root (group_prefix): root's group, GID 0, is not given" "$CODE:$(ids nssu-pfx0)" "PAM_SUCCESS:nssu-pfx0 docker"
like "... one log line says why" "$SYSLOG" "groups: 'root' .*GID 0: not given"

# --- the filter: values with ':', ',', blanks, a newline or control
# characters are dropped and count for nothing; 64 kept; repeats once
vals() { python3 -c 'import json,sys; print(json.dumps({"authorities": eval(sys.argv[1])}))' "$1"; }
idp_claims nssu-flt access "$(vals '["linux-docker:x", "linux-opttother\n", "linux-opttother,docker", "linux-docker x", "linux-opttother\t", "linux-docker\u0085", "linux-opttother\u00a0", "linux-sudo\u0000"]')"
pam_drive nssu-flt "$PW"
is "values with ':', ',', blanks, a newline, NEL, NBSP, NUL: dropped (no group)" "$CODE:$(ids nssu-flt)" "PAM_SUCCESS:nssu-flt"
idp_claims nssu-flt access "$(vals '["x:%d" % i for i in range(32)] + ["y\n%d" % i for i in range(32)] + ["linux-docker"]')"
pam_drive nssu-flt "$PW"
is "64 dropped values, then linux-docker: docker (the dropped count for nothing)" "$CODE:$(ids nssu-flt)" "PAM_SUCCESS:nssu-flt docker"
idp_claims nssu-flt access "$(vals '["linux-nosuchgroup"] * 200 + ["linux-opttother"]')"
pam_drive nssu-flt "$PW"
is "a value repeated 200 times counts once: the next one is kept" "$CODE:$(ids nssu-flt)" "PAM_SUCCESS:nssu-flt opttother"
idp_claims nssu-flt access "$(vals '["v%d" % i for i in range(63)] + ["linux-docker"] + ["v%d" % i for i in range(63, 9999)]')"
pam_drive nssu-flt "$PW"
is "10,000 values, linux-docker the 64th: kept, the login succeeds" "$CODE:$(ids nssu-flt)" "PAM_SUCCESS:nssu-flt docker"
idp_claims nssu-flt access "$(vals '["v%d" % i for i in range(64)] + ["linux-docker"] + ["v%d" % i for i in range(64, 9999)]')"
pam_drive nssu-flt "$PW"
is "10,000 values, linux-docker the 65th: not kept, the login succeeds" "$CODE:$(ids nssu-flt)" "PAM_SUCCESS:nssu-flt"
idp_claims nssu-flt access "$(vals '["authorities-first"]')"
idp_claims nssu-flt2 access '{"authorities": ["linux-opttother"], "groups": ["linux-docker"]}'
pam_drive nssu-flt2 "$PW"
is "two claims: groups_claim order (authorities, then groups)" "$(ledger_file state | grep '^nssu-flt2:' | cut -d: -f6)" "opttother,docker"

# --- the device grant (pamtester, the namespace's /etc/pam.d): the ID
# token's groups before the access token's
device_login() { # USER: approved as USER; sets CODE (pamtester's verdict)
	d0=$(idp_count rfc_device)
	printf '\n' | in_ns env LD_PRELOAD="$NS_PRELOAD" ASAN_OPTIONS=detect_leaks=0 pamtester -v optt-dev "$1" authenticate \
		>"$T_DIR/pt.out" 2>&1 &
	dpid=$!
	i=0
	until [ "$(idp_count rfc_device)" -gt "$d0" ] || [ $i -gt 200 ]; do sleep 0.1; i=$((i + 1)); done
	i=0
	until idp_curl -X POST "$IDP_CTL/device?action=approve&user=$1" >/dev/null 2>&1 || [ $i -gt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	wait "$dpid"
	CODE=$(sed -n 's/.*pamtester: //p' "$T_DIR/pt.out" | tail -1)
}
idp_claims nssu-dev access '{"groups": ["linux-opttother"]}'
idp_claims nssu-dev id '{"groups": ["linux-docker"]}'
device_login nssu-dev
is "device grant (flow=device): success" "$CODE" "successfully authenticated"
is "... the ID token's groups claim (linux-docker), not the access token's (linux-opttother)" "$(ids nssu-dev)" "nssu-dev docker"
idp_claims nssu-dev id '{}'
idp_claims nssu-dev access '{"authorities": ["linux-opttother"]}'
device_login nssu-dev
is "an ID token without group claims: none (the access token's are not read)" "$CODE:$(ids nssu-dev)" \
	"successfully authenticated:nssu-dev"

# --- the admin's commands
idp_claims nssu-adm access '{"authorities": ["ADMIN", "linux-docker"]}'
pam_drive nssu-adm "$PW"
out=$(in_ns "$OPTT_TOKEN" --config "$NS_CONF" users list 2>&1)
like "users list: the groups column" "$out" "^nssu-adm +[0-9]+ +sudo,docker +[0-9T:Z-]+ +nssu-adm\$"
like "users list: '-' for none" "$out" "^nssu-flt +[0-9]+ +- +"
like "users show: the groups with their GIDs" "$(in_ns "$OPTT_TOKEN" --config "$NS_CONF" users show nssu-adm 2>&1)" \
	"^  groups: sudo\($SUDO\) docker\($DOCKER\)\$"
run in_ns "$OPTT_TOKEN" --config "$NS_CONF" check-config --pam
is "check-config --pam: exit 0 (warnings only)" "$RC" 0
like "... lists each group_map target that exists" "$OUT" "group_map target sudo: a local group \(GID $SUDO in /etc/group\)"
like "... and warns of one that does not" "$OUT" "^warning: group_map target nosuchgroup: not a local group"
run in_ns "$OPTT_TOKEN" --config "$NS_CONF" users forget nssu-adm
is "users forget: exit 0" "$RC" 0
printf '%s\n' "$NSS_MERGE" >"$NS/nsswitch.conf"
unlike "... the user is in no mapped group any more" "$(in_ns getent group sudo docker)" "nssu-adm"
printf '%s\n' "$NSS_PLAIN" >"$NS/nsswitch.conf"

# --- configuration errors: file, line, key; PAM_SERVICE_ERR and no request
for bad in "group_map = ADMIN" "group_map = ADMIN:bad/group" "group_map = A,B:sudo" "group_prefix = a:b" \
	"groups_claim = " "groups_claim = a b c d e f g h i j k l m n o p q"; do
	nss_conf "register = yes
$bad"
	run in_ns "$OPTT_TOKEN" --config "$NS_CONF" check-config --pam
	like "'$bad': check-config exit 2 naming file, line and key" "$RC:$ERR" \
		"^2:.*optt.conf:[0-9]+: \[users\]: key '${bad%% *}'"
	pam_drive nssu-adm "$PW"
	is "... pam_optt: PAM_SERVICE_ERR, no request" "$CODE:$REQS" "PAM_SERVICE_ERR:0"
done

unlike "/etc/group of the host names none of this suite's users" "$(cat /etc/group)" "nssu-"
is "... and its sudo line is as it was" "$(grep '^sudo:' /etc/group)" "$HOST_SUDO"
is "/etc/group of the namespace unchanged" "$(sha256sum <"$NS/group")" "$NS_GROUP"
unlike "sshd's log holds no password" "$(cat "$T_DIR/sshd.log")" "$PW"
t_done
