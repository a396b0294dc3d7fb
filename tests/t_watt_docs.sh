#!/bin/bash
# wattctl's man page and completions agree with --help.
. "$(dirname "$0")/lib.sh"

MAN=$PK_TOP/man/wattctl.1
COMP=$PK_TOP/completions
run mandoc -Tlint "$MAN"
# mandoc also reports on the system's whatis database; that is not the page.
LINT=$(printf '%s\n' "$ERR" "$OUT" | grep -v 'mandoc.db' | grep -v '^$')
check "mandoc -Tlint is clean" [ -z "$LINT" ]
[ -z "$LINT" ] || printf '%s\n' "$LINT" | sed 's/^/#   /'

OPTS=$("$PK_BIN/wattctl" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
check "--help lists long options" [ "$(printf '%s\n' "$OPTS" | wc -l)" -ge 15 ]
for o in $OPTS; do
	name=${o#--}
	check "man page documents $o" grep -q "^\.It Fl.*\\\\-$name\\b" "$MAN"
	check "bash completion offers $o" grep -qw -- "$o" "$COMP/bash/wattctl"
	check "zsh completion offers $o" grep -qE -- "$o(\\[|\})" "$COMP/zsh/_wattctl"
	check "fish completion offers $o" grep -q -- "-l $name " "$COMP/fish/wattctl.fish"
done
for s in "EXIT STATUS" ENVIRONMENT EXAMPLES SYNOPSIS; do
	check "man page has $s" grep -q "^\.Sh $s" "$MAN"
done

# The bash completion really completes.
comp() {
	# shellcheck disable=SC1091
	. "$COMP/bash/wattctl"
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_wattctl
	printf '%s\n' "${COMPREPLY[@]}"
}
check "bash completes actions after the host" [ "$(comp wattctl rack1 st | tr '\n' ' ')" = "status " ]
check "bash completes --proto values" [ "$(comp wattctl --proto s | tr '\n' ' ')" = "ssh " ]
check "bash completes options" [ "$(comp wattctl --no | tr '\n' ' ')" = "--no-wait " ]
