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
t_done
