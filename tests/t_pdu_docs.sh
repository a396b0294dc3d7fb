#!/bin/bash
# pductl's profile names are documented and completed, and its bash
# completion really completes.  (Options vs man page and completions:
# t_docs.sh, for every tool.)
. "$(dirname "$0")/lib.sh"
P="$PK_BIN/pductl"
man="$PK_TOP/man/pductl.1"
bashc="$PK_TOP/completions/bash/pductl"
zshc="$PK_TOP/completions/zsh/_pductl"
fishc="$PK_TOP/completions/fish/pductl.fish"

for prof in cyberpower-epdu cyberpower-epdu2 apc-rpdu2 apc-rpdu; do
	run "$P" -n -P "$prof" -t 0.2 127.0.0.1:1 status
	check "profile $prof is accepted by pductl (not a usage error)" test "$RC" != 2
	for f in "$man" "$zshc" "$fishc"; do
		check "$(basename "$f") names profile $prof" grep -qw -- "$prof" "$f"
	done
done

# The bash completion works when sourced.
comp() {  # comp WORD... : completes the last word
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pductl; printf "%s\n" "${COMPREPLY[@]}"' _ "$bashc" "$@"
}
check "bash: --profile completes profile names" test "$(comp pductl --profile apc | tr '\n' ' ')" = "apc-rpdu2 apc-rpdu "
check "bash: actions after the host" test "$(comp pductl -c x pdu1 re)" = "reboot"
check "bash: oid verbs" test "$(comp pductl pdu1 oid w)" = "walk"
check "bash: options" test "$(comp pductl --no-)" = "--no-wait"
