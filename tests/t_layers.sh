#!/bin/bash
# The library's layering, read from the source (README: Layout):
#  - every project header is included by its folder path ("core/err.h");
#  - each folder of common/ includes only the folders below it:
#      core     -> core
#      snmp     -> core, snmp
#      nut      -> core, nut
#      pdu      -> core, snmp, pdu
#      wattbox  -> core, wattbox
#      cli      -> anything in common/ (it is the tools' layer)
#    so the protocol layers never include each other or cli/;
#  - below cli/ nothing prints, reads the environment or the terminal,
#    or exits: those are the tools' business;
#  - nothing in the repository points at protocol notes kept outside it.
. "$(dirname "$0")/lib.sh"

cd "$PK_TOP" || exit 1

allowed() {  # layer -> the folders it may include
	case $1 in
	core) echo "core" ;;
	snmp) echo "core snmp" ;;
	nut) echo "core nut" ;;
	pdu) echo "core snmp pdu" ;;
	wattbox) echo "core wattbox" ;;
	cli) echo "core snmp nut pdu wattbox cli" ;;
	*) echo "" ;;
	esac
}

layers=$(cd common && ls -d */ | tr -d /)
check "common/ has no loose source files (each file sits in its layer)" \
	test -z "$(find common -maxdepth 1 -type f -name '*.[ch]')"
for l in $layers; do
	check "common/$l is a known layer" test -n "$(allowed "$l")"
done

# Every #include "..." in common/, cmd/ and tests/unit names an existing
# header by its folder path.
bad=""
while IFS=: read -r file inc; do
	case $file in tests/unit/*) case $inc in tap.h | loopback.h) continue ;; esac ;; esac
	[ -f "common/$inc" ] || bad="$bad $file:$inc"
done < <(grep -o '^#include "[^"]*"' common/*/*.[ch] cmd/*.c tests/unit/*.c |
	sed 's/#include "\(.*\)"/\1/')
check "every project include names common/<layer>/<file>.h${bad:+ (bad:$bad)}" test -z "$bad"

for l in $layers; do
	ok_dirs=$(allowed "$l")
	bad=""
	while IFS=: read -r file inc; do
		dir=${inc%%/*}
		case " $ok_dirs " in *" $dir "*) ;; *) bad="$bad $file:$inc" ;; esac
	done < <(grep -o '^#include "[^"]*"' common/"$l"/*.[ch] | sed 's/#include "\(.*\)"/\1/')
	check "common/$l includes only {$ok_dirs}${bad:+ (forbidden:$bad)}" test -z "$bad"
done

# What only a command line does, looked for below cli/ (comments and
# string literals are stripped first, so a word in a message is fine).
strip_c() {
	python3 - "$1" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r'/\*.*?\*/', ' ', s, flags=re.S)
s = re.sub(r'format\s*\(\s*printf', 'format(', s)
s = re.sub(r'//[^\n]*', ' ', s)
s = re.sub(r'"(\\.|[^"\\\n])*"', '""', s)
s = re.sub(r"'(\\.|[^'\\\n])*'", "''", s)
print(s)
PY
}
forbidden='\b(printf|fprintf|vfprintf|puts|fputs|fputc|putchar|perror|stdout|stderr|stdin|getenv|secure_getenv|isatty|tcgetattr|exit|_exit|abort|getpass|getpwuid)\b'
for l in $layers; do
	[ "$l" = cli ] && continue
	bad=""
	for f in common/"$l"/*.[ch]; do
		hits=$(strip_c "$f" | grep -oE "$forbidden" | sort -u | tr '\n' ' ')
		[ -n "$hits" ] && bad="$bad $f:[${hits% }]"
	done
	check "common/$l never prints, reads the environment or the terminal, or exits${bad:+ (found:$bad)}" \
		test -z "$bad"
done

# The check above must be able to fail: a file that prints is caught.
printf 'static void f(void) { fprintf(stderr, "x"); }\n' >"$PK_TMP/probe.c"
check "the print check catches fprintf(stderr, ...)" \
	sh -c "$(declare -f strip_c); strip_c '$PK_TMP/probe.c' | grep -E '$forbidden' >/dev/null"


# The facts the code relies on live in the project (header comments, the
# man pages' DEVICE NOTES), never in notes outside it: nothing a user of
# the repository gets may point at them.
notes_ref='(\.\./)?shared/(protocols|CONVENTIONS|STYLE|ECOSYSTEM)|\b(nut|snmp-pdu|wattbox)\.md\b|CONVENTIONS\.md|ECOSYSTEM-NOTES|STYLE\.md'
where="README.md man completions cmd common tests"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	refs=$(git grep -l -E "$notes_ref" -- $where ':!tests/t_layers.sh')
else
	refs=$(grep -rlE "$notes_ref" --exclude=t_layers.sh $where)
fi
refs=$(echo $refs)
check "no file in README.md, man/, completions/, cmd/, common/ or tests/ points at notes outside the project${refs:+ (found in: $refs)}" \
	test -z "$refs"
# ... and that check can fail: a reference is caught.
printf '/* see ../shared/protocols/nut.md */\n' >"$PK_TMP/probe_ref.c"
printf '# see wattbox.md section 3\n' >"$PK_TMP/probe_ref.py"
check "the notes check catches a shared/ path" grep -qE "$notes_ref" "$PK_TMP/probe_ref.c"
check "the notes check catches a bare note name" grep -qE "$notes_ref" "$PK_TMP/probe_ref.py"
