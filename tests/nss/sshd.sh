#!/bin/sh
# SPEC §15 with Debian's OpenSSH and login, in a private mount namespace
# (nss-env.sh: our NSS module, nsswitch.conf, config, ledger, /etc/pam.d
# and /home are the namespace's own): a user who exists only at the test
# IdP logs in over SSH the first time (keyboard-interactive, then password
# authentication), gets the rule's UID, a home made by pam_mkhomedir and
# files owned by that UID; root and another user then see the entry; a
# wrong password registers nothing; names that fail `names` or are in
# `ignore` take sshd's invalid-user path with no IdP request; the race at
# the password prompt is refused; console login registers with
# ssh_first_login = no.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
. "$OPTT_TOP_SRCDIR/tests/nss/nss-env.sh"
need sshd ssh sshpass ssh-keygen su python3
idp_start
ns_local_user optt-nss-u
PW=nss-pw-4242
nss_conf "register = yes
ssh_first_login = yes
ignore = nssu-ign* gdm*"
# the namespace's /etc/pam.d: the host's, with sshd and login ours
cp -a /etc/pam.d "$NS/pam.d"
for svc in sshd login; do
	cat >"$NS/pam.d/$svc" <<EOP
# optt-auth tests/nss/sshd.sh (inside a private mount namespace)
auth     [success=done default=die] $PAM_MOD_PATH config=$NS_CONF
account  required pam_unix.so
session  required pam_mkhomedir.so umask=0022 skel=/etc/skel
session  required pam_permit.so
EOP
done
ns_sshd
preload=$SSHD_PRELOAD
SESSION='echo uid=$(id -u) gid=$(id -g) home=$HOME; touch ~/made-here; stat -c owner=%u ~/made-here; stat -c homeowner=%u ~'
UF=$(uid_of nssu-first)

in_ns getent passwd nssu-first >/dev/null
is "before: getent passwd nssu-first (not sshd): nothing" "$?" 2
ssh_login nssu-first "$PW" keyboard-interactive "$SESSION"
is "first SSH login (keyboard-interactive) of a name only the IdP knows: exit 0" "$RC" 0
like "... id -u is the rule's UID ($UF)" "$OUT" "^uid=$UF gid=$UF home=/home/nssu-first\$"
like "... a file made in the session is owned by that UID" "$OUT" "^owner=$UF\$"
like "... \$HOME was made by pam_mkhomedir, owned by the user" "$OUT" "^homeowner=$UF\$"
is "... the ledger has exactly the entry sshd was given" "$(ledger_file passwd)" \
	"nssu-first:*:$UF:$UF::/home/nssu-first:/bin/bash"
ssh_login nssu-first "$PW" password 'id -u'
is "second login (password authentication): the same UID" "$RC:$OUT" "0:$UF"
is "getent passwd nssu-first, root" "$(in_ns getent passwd nssu-first)" "nssu-first:*:$UF:$UF::/home/nssu-first:/bin/bash"
is "getent passwd nssu-first, another user" "$(in_ns su optt-nss-u -s /bin/sh -c 'getent passwd nssu-first')" \
	"nssu-first:*:$UF:$UF::/home/nssu-first:/bin/bash"

ssh_login nssu-wrong wrong-password keyboard-interactive 'echo ran'
[ "$RC" -ne 0 ] && ok "a wrong password: refused (ssh exit $RC)" || not_ok "a wrong password: refused"
unlike "... no command ran" "$OUT" ran
unlike "... nothing registered" "$(ledger_file passwd)" nssu-wrong
for n in NSSU-BAD nssu-ign2; do
	ssh_login "$n" "$PW" keyboard-interactive 'echo ran'
	[ "$RC" -ne 0 ] && ok "'$n' (fails names / in ignore): refused" || not_ok "'$n': refused"
	is "... no request reached the IdP" "$REQS" 0
	like "... sshd took its invalid-user path" "$(cat "$T_DIR/sshd.log")" "Invalid user $n "
done

# --- the race: A waits at the password prompt (NSS answered A's rule UID),
# B, whose UID is the same, registers meanwhile; A is refused
nss_conf "register = yes
ssh_first_login = yes
uid_range = 300000-300003"
in_ns sh -c 'for i in 1 2 3 4 5 6 7 8 9 10 11 12; do printf "nssu-r%s " $i; "$0" --config "$1" users show nssu-r$i | sed -n "s/^  the rule gives: UID \\([0-9]*\\).*/\\1/p"; done' \
	"$OPTT_TOKEN" "$NS_CONF" >"$T_DIR/uids" 2>/dev/null
set -- $(awk '{ if (seen[$2]) { print seen[$2], $1, $2; exit } seen[$2] = $1 }' "$T_DIR/uids")
A=${1:-} B=${2:-} U=${3:-}
[ -n "$B" ] && ok "two names on one UID: $A, $B ($U)" || not_ok "a colliding pair"
printf '%s\n' "$PW" >"$T_DIR/sshpass"
cat >"$T_DIR/register-b" <<EOS
#!/bin/sh
exec timeout 60 sshpass -f "$T_DIR/sshpass" ssh -F none -p $PORT -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	-o LogLevel=ERROR -o PreferredAuthentications=keyboard-interactive -o PubkeyAuthentication=no $B@127.0.0.1 true
EOS
chmod 755 "$T_DIR/register-b"
run timeout 90 python3 "$OPTT_TOP_SRCDIR/tests/ptyrun.py" --when 'assword:' --run "$T_DIR/register-b" \
	--reply '' "$PW" -- ssh -F none -p "$PORT" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
	-o LogLevel=ERROR -o PreferredAuthentications=keyboard-interactive -o PubkeyAuthentication=no \
	-o NumberOfPasswordPrompts=1 "$A@127.0.0.1" 'echo ran-as-$(id -u)'
is "the race: $B registered $U while $A waited at the prompt" "$(ledger_file passwd | grep "^$B:" | cut -d: -f3)" "$U"
[ "$RC" -ne 0 ] && ok "... $A is refused (ssh exit $RC)" || not_ok "... $A is refused" "$OUT"
unlike "... no session ran under $U for $A" "$OUT" "ran-as-"
unlike "... $A is not registered" "$(ledger_file passwd)" "$A:"

# --- console login on a pty, register = yes, ssh_first_login = no
nss_conf "register = yes"
UC=$(uid_of nssu-console)
run in_ns timeout 60 python3 "$OPTT_TOP_SRCDIR/tests/ptyrun.py" --when 'assword:' --run /bin/true \
	--reply '' "$PW" --reply '$ ' 'echo console-uid=$(id -u) home=$HOME; exit' -- \
	env LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 /bin/login nssu-console
like "console login (/bin/login on a pty): registered and logged in with the rule's UID" "$OUT" "console-uid=$UC home=/home/nssu-console"
is "... the ledger has it" "$(ledger_file passwd | grep '^nssu-console:' | cut -d: -f3)" "$UC"
unlike "sshd's log holds no password" "$(cat "$T_DIR/sshd.log")" "$PW"
t_done
