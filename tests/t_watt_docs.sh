#!/bin/bash
# wattctl's bash completion really completes.  (Options vs man page and
# completions: t_docs.sh, for every tool.)
. "$(dirname "$0")/lib.sh"

COMP=$PK_TOP/completions
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
