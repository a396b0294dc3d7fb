#!/bin/bash
# pductl's profile names are documented and completed, and its bash
# completion really completes.  (Options vs man page and completions:
# t_docs.sh, for every tool.)
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/complete_lib.sh"
P="$PK_BIN/pductl"
man="$PK_TOP/man/pductl.1"

for prof in cyberpower-epdu cyberpower-epdu2 apc-rpdu2 apc-rpdu apc-spdu raritan-px2 \
	raritan-px1-metered raritan-px1 sentry4 sentry4-metered sentry3 sentry3-metered eaton-epdu eaton-epdu-metered \
	cyberpower-ats tripplite tripplite-metered geist geist-metered; do
	run "$P" -n -P "$prof" -t 0.2 127.0.0.1:1 status
	check "profile $prof is accepted by pductl (not a usage error)" test "$RC" != 2
	check "pductl.1 names profile $prof" grep -qw -- "$prof" "$man"
	check "zsh completes profile $prof" grep -qx -- "$prof" <<<"$(zsh_comp "pductl -P ")"
	check "fish completes profile $prof" grep -qx -- "$prof" <<<"$(fish_comp "pductl --profile ")"
done

# The bash completion works when sourced.
check "bash: --profile completes profile names" test "$(bash_comp "pductl --profile apc" | tr '\n' ' ')" = "apc-rpdu2 apc-rpdu apc-spdu "
check "bash: actions after the host" test "$(bash_comp "pductl -c x pdu1 re")" = "reboot"
check "bash: oid verbs" test "$(bash_comp "pductl pdu1 oid w")" = "walk"
check "bash: options" test "$(bash_comp "pductl --no-w")" = "--no-wait"
check "bash: options after the operands" test "$(bash_comp "pductl pdu1 status --js")" = "--json"
check "bash: actions after host:port" test "$(bash_comp "pductl 10.0.0.5:1161 st")" = "status"
check "fish: actions after host:port" test "$(fish_comp "pductl 10.0.0.5:1161 st")" = "status"
check "zsh: actions after host:port" test "$(zsh_comp "pductl 10.0.0.5:1161 st")" = "status"
