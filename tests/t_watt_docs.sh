#!/bin/bash
# wattctl's bash completion really completes.  (Options vs man page and
# completions: t_docs.sh, for every tool.)
. "$(dirname "$0")/lib.sh"

. "$PK_TESTS/complete_lib.sh"
# The bash completion really completes.
check "bash completes actions after the host" [ "$(bash_comp "wattctl rack1 st" | tr '\n' ' ')" = "status " ]
check "bash completes --proto values" [ "$(bash_comp "wattctl --proto s" | tr '\n' ' ')" = "ssh " ]
check "bash completes options" [ "$(bash_comp "wattctl --no" | tr '\n' ' ')" = "--no-wait " ]
check "bash completes autoreboot's on|off" [ "$(bash_comp "wattctl rack1:23 autoreboot o" | tr '\n' ' ')" = "on off " ]
