#!/bin/bash
# t_nutdocs.sh — the NUT tools' docs agree with their --help: every long
# option appears in the man page, the bash, zsh and fish completions;
# the man pages pass mandoc -Tlint.
. "$(dirname "$0")/lib.sh"
for t in nutq nutset nutcmd; do
	"$PK_BIN/$t" --help >"$PK_TMP/help" 2>&1
	opts=$(grep -oE -- '--[a-z][a-z-]+' "$PK_TMP/help" | sort -u)
	check "$t: --help lists long options" test -n "$opts"
	for o in $opts; do
		m=${o#--}
		check "$t: $o in man page" grep -qE -- "Fl -${m}( |$)" "$PK_TOP/man/$t.1"
		check "$t: $o in bash completion" grep -qE -- "(^|[[:space:]'])${o}([[:space:]']|$)" "$PK_TOP/completions/bash/$t"
		check "$t: $o in zsh completion" grep -qF -- "$o" "$PK_TOP/completions/zsh/_$t"
		check "$t: $o in fish completion" grep -qE -- "-l ${m}( |$)" "$PK_TOP/completions/fish/$t.fish"
	done
	mandoc -Tlint "$PK_TOP/man/$t.1" >"$PK_TMP/lint" 2>&1
	check "$t: mandoc -Tlint has no error or warning" bash -c '! grep -E "(ERROR|WARNING|UNSUPP):" "$1"' _ "$PK_TMP/lint"
	check "$t: bash completion parses" bash -n "$PK_TOP/completions/bash/$t"
done
