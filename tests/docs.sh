#!/bin/sh
# The manual pages as built (the configured paths filled in): lint-clean,
# every configuration key of the key table, every CLI command and option
# documented, the configured paths named, and the outcome table of
# pam_optt(8) laid out row by row by both renderers, mandoc and Debian's
# man (groff).
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
need mandoc groff col make
M="$OPTT_TOP_BUILDDIR/man"
[ -f "$M/pam_optt.8" ] || { not_ok "the pages are built in $M"; t_done; }
for page in "$M"/*.[0-9]; do
	out=$(mandoc -T lint -W warning "$page" 2>&1)
	is "$(basename "$page"): mandoc -T lint is clean" "$out" ""
done
keys=$(sed -n 's/^\t\[OPTT_K_[A-Z_]*\] = { "\([a-z_]*\)".*/\1/p' "$OPTT_TOP_SRCDIR/common/conf.c")
[ "$(echo $keys | wc -w)" -ge 20 ] && ok "key table read from common/conf.c" || not_ok "key table read from common/conf.c" "$keys"
ukeys=$(sed -n 's/^\t\[OPTT_UK_[A-Z_]*\] = { "\([a-z_]*\)".*/\1/p' "$OPTT_TOP_SRCDIR/accounts/users.c")
[ "$(echo $ukeys | wc -w)" -ge 12 ] && ok "[users] key table read from accounts/users.c" || not_ok "[users] key table read" "$ukeys"
keys="$keys $ukeys"
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
for o in $(grep -Eo '"[a-z-]+"' "$OPTT_TOP_SRCDIR/pam_module/register.c" | grep -E 'mismatch|collision|ledger-error' | tr -d '"' | sort -u); do
	like "pam_optt(8) lists outcome $o" "$page" "$o"
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
# the configured paths, substituted at build time
confvar() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$OPTT_TOP_BUILDDIR/man" --no-print-directory --eval "show-$1:; @echo \$($1)" "show-$1"; }
for page in "$M"/*.[0-9]; do
	unlike "$(basename "$page"): no placeholder left" "$(cat "$page")" "@SYSCONFDIR@"
	unlike "$(basename "$page"): no placeholder left (any)" "$(grep -o '@[A-Z]*DIR@' "$page")" "@"
done
for v in sysconfdir libexecdir localstatedir runstatedir; do eval "$v=\$(confvar $v)"; done
like "optt.conf(5) names the configured system file" "$(mandoc -T utf8 "$M/optt.conf.5" | col -bx)" "$sysconfdir/optt/optt.conf"
like "git-credential-optt(1) FILES: the configured libexec" "$(mandoc -T utf8 "$M/git-credential-optt.1" | col -bx)" "$libexecdir/optt-auth/optt-git-helper"
like "docker-credential-optt(1) FILES: the configured libexec" "$(mandoc -T utf8 "$M/docker-credential-optt.1" | col -bx)" "$libexecdir/optt-auth/optt-docker-helper"
like "pam_optt(8) FILES: the configured state directories" "$(mandoc -T utf8 "$M/pam_optt.8" | col -bx)" "$localstatedir/lib/optt/offline/"
like "libnss_optt(8) FILES: the configured ledger" "$(mandoc -T utf8 "$M/libnss_optt.8" | col -bx)" "$localstatedir/lib/optt/users/"
# groups from the token (SPEC §16): what the three pages must tell an admin
page=$(mandoc -T utf8 "$M/libnss_optt.8" | col -bx)
for w in '\[SUCCESS=merge\]' AllowGroups 'users forget' 'next online login' initgroups '/etc/group'; do
	like "libnss_optt(8) documents $w (groups from the token)" "$page" "$w"
done
page=$(mandoc -T utf8 "$M/pam_optt.8" | col -bx)
for w in '\[SUCCESS=merge\]' AllowGroups 'users forget' 'ADMIN:sudo' '%sudo' 'is not a local group'; do
	like "pam_optt(8) documents $w (groups from the token)" "$page" "$w"
done
like "optt.conf(5): a worked group_map example" "$(mandoc -T utf8 "$M/optt.conf.5" | col -bx)" "group_map += ADMIN:sudo"
for k in groups_claim group_map group_prefix; do
	like "the commented optt.conf shows $k" "$(cat "$OPTT_TOP_BUILDDIR/optt.conf" 2>/dev/null)" "^#$k = "
done
like "... and run directory" "$(mandoc -T utf8 "$M/pam_optt.8" | col -bx)" "$runstatedir/optt/session/UID@PROFILE"

# the outcome table: each row on one line, with either renderer
for r in mandoc groff; do
	case $r in
	mandoc) page=$(mandoc -T utf8 "$M/pam_optt.8" | col -bx) ;;
	groff) page=$(MANWIDTH=80 groff -mandoc -Tutf8 -rLL=80n "$M/pam_optt.8" 2>/dev/null | col -bx) ;;
	esac
	while IFS='|' read -r text code; do
		like "[$r] outcome table row on one line: $text" "$page" "^ +$text +$code\$"
	done <<'EOR'
token granted, every claim holds|PAM_SUCCESS
rejected \(invalid_grant, 400, 401\)|PAM_AUTH_ERR
token granted, a require_claim fails|PAM_PERM_DENIED
provider down, timeout, TLS error, bad response|PAM_AUTHINFO_UNAVAIL
invalid_client and kin, 404, bad argument or config|PAM_SERVICE_ERR
out of memory|PAM_BUF_ERR
unavailable, offline verifier matches|PAM_SUCCESS
unavailable, offline verifier does not match|PAM_AUTH_ERR
unavailable, offline login locked|PAM_MAXTRIES
EOR
done
if command -v man >/dev/null 2>&1; then
	page=$(MANWIDTH=80 man -l "$M/pam_optt.8" 2>/dev/null | col -bx)
	like "[man -l] the widest row on one line" "$page" "^ +invalid_client and kin, 404, bad argument or config +PAM_SERVICE_ERR\$"
fi
t_done
