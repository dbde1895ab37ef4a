#!/bin/sh
# The manual pages: lint-clean, and every configuration key of the key
# table, every CLI command and option documented.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need mandoc
M="$OPTT_TOP_SRCDIR/man"
for page in "$M"/*.[0-9]; do
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	is "$(basename "$page"): mandoc -T lint is clean" "$out" ""
done
keys=$(sed -n 's/^\t\[OPTT_K_[A-Z_]*\] = { "\([a-z_]*\)".*/\1/p' "$OPTT_TOP_SRCDIR/common/conf.c")
[ "$(echo $keys | wc -w)" -ge 20 ] && ok "key table read from common/conf.c" || not_ok "key table read from common/conf.c" "$keys"
page=$(mandoc -T utf8 "$M/optt.conf.5" | col -bx)
for k in $keys; do
	like "optt.conf(5) documents $k" "$page" "^ +$k( |$)"
done
page=$(mandoc -T utf8 "$M/optt-token.1" | col -bx)
opts=$("$OPTT_TOKEN" --help | grep -Eo -- '--[a-z-]+|^  [a-z-]+' | sed 's/^ *//' | sort -u)
[ -n "$opts" ] && ok "options read from --help" || not_ok "options read from --help"
for o in $opts; do
	like "optt-token(1) documents $o" "$page" "(^|[^a-z-])$o([^a-z-]|$)"
done
for code in 0 1 2 3 4; do
	like "optt-token(1) documents exit status $code" "$page" "^ +$code +[a-z]"
done
page=$(mandoc -T utf8 "$M/pam_optt.8" | col -bx)
args=$(grep -Eo '(str(n)?cmp\(s, |\{ )"[a-z_]+=?"' "$OPTT_TOP_SRCDIR/pam_module/args.c" | sed 's/.*"\(.*\)"/\1/')
[ "$(echo $args | wc -w)" -ge 8 ] && ok "module arguments read from args.c" || not_ok "module arguments read from args.c" "$args"
for a in $args; do
	like "pam_optt(8) documents $a" "$page" "(^|[^a-z_])$a"
done
for c in PAM_SUCCESS PAM_AUTH_ERR PAM_PERM_DENIED PAM_AUTHINFO_UNAVAIL PAM_SERVICE_ERR PAM_BUF_ERR PAM_USER_UNKNOWN PAM_IGNORE; do
	like "pam_optt(8) documents $c" "$page" "$c"
done
for o in $(grep -Eo '"[a-z-]+"\);' "$OPTT_TOP_SRCDIR/pam_module/pam_optt.c" | tr -d '");' | sort -u); do
	case $o in success|rejected|rejected-locally|offline-success|offline-rejected|offline-locked|claim-not-met|unavailable|bad-response|client-error|config-error|bad-argument|unknown-user|no-password|out-of-memory|system-error) like "pam_optt(8) lists outcome $o" "$page" "$o" ;; esac
done
page=$(mandoc -T utf8 "$M/git-credential-optt.1" | col -bx)
for w in --profile get store erase GIT_ASKPASS SSH_ASKPASS GIT_TERMINAL_PROMPT 'capability\[\]=authtype' \
	authtype=Bearer ephemeral=1 password_expiry_utc useHttpPath git_auth; do
	like "git-credential-optt(1) documents $w" "$page" "$w"
done
page=$(mandoc -T utf8 "$M/docker-credential-optt.1" | col -bx)
for w in get store erase list version credHelpers credsStore io.docker.Credentials docker_cli \
	'credentials not found in native keychain' docker-credentials.json OPTT_DEBUG; do
	like "docker-credential-optt(1) documents $w" "$page" "$w"
done
t_done
