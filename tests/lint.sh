#!/bin/sh
# make lint: the tree is clean, and the rules do catch what they ban.
. "$OPTT_TOP_SRCDIR/tests/lib.sh"
run sh "$OPTT_TOP_SRCDIR/scripts/lint"
is "scripts/lint on the tree: exit 0" "$RC" 0
like "... says clean" "$OUT" '^lint: clean$'
# a scratch tree with one violation of each kind
S="$T_DIR/lintself"
mkdir -p "$S/scripts" "$S/common" "$S/git_helper"
cp "$OPTT_TOP_SRCDIR/scripts/lint" "$S/scripts/"
printf 'libopttcore_la_SOURCES = conf.c\n' >"$S/common/Makefile.am"
for call in 'atoi(s)' 'sscanf(s, "%d", &i)' 'strtok(s, ",")' 'sprintf(b, "%s", s)' 'strcpy(b, s)' 'system(s)' 'popen(s, "r")'; do
	printf 'int f(char *s, char *b) { int i; return %s; }\n' "$call" >"$S/common/bad.c"
	run sh "$S/scripts/lint"
	is "lint refuses $call" "$RC" 1
done
printf 'int f(char *b) { return snprintf(b, 4, "x"); } /* sprintf( in a comment */\n' >"$S/common/bad.c"
run sh "$S/scripts/lint"
is "lint accepts snprintf and names in comments" "$RC" 0
rm "$S/common/bad.c"
printf '#include <curl/curl.h>\n' >"$S/git_helper/x.c"
run sh "$S/scripts/lint"
is "lint refuses a second <curl/curl.h>" "$RC" 1
printf '#include <libsecret/secret.h>\n' >"$S/git_helper/x.c"
run sh "$S/scripts/lint"
is "lint refuses libsecret outside common/keyring.h" "$RC" 1
printf '#include "common/keyring.h"\n' >"$S/git_helper/x.c"
run sh "$S/scripts/lint"
is "lint refuses common/keyring.h outside the keyring's users" "$RC" 1
printf '#include "common/keyring.h"\n' >"$S/common/cache_keyring.c"
rm "$S/git_helper/x.c"
run sh "$S/scripts/lint"
is "... and accepts it in cache_keyring.c" "$RC" 0
printf 'libopttcore_la_SOURCES = conf.c\nx_LDADD = $(SECRET_LIBS)\n' >"$S/common/Makefile.am"
run sh "$S/scripts/lint"
is "lint refuses a Makefile that links libsecret" "$RC" 1
like "... saying why" "$OUT" 'links libsecret'
t_done
