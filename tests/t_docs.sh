#!/bin/bash
# Cross-tool checks for every binary built from cmd/: --help and -V work,
# unknown options are usage errors, the option table (--dump-options) and
# the man page's option items match both ways, and --help lists the
# table; every long option in --help is an option item of the man page
# and is offered by the bash, zsh and fish completions; an option name
# means the same in every tool; man pages lint clean and have the standard
# sections plus DEVICE NOTES (what the devices and servers do that a user
# must know),
# completions parse, each binary links only what it uses, and
# install/uninstall work.  Tool-specific completion behaviour is tested
# beside each tool (t_pdu_docs.sh, t_watt_docs.sh).
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/complete_lib.sh"

tools=$(cd "$PK_TOP/cmd" && ls *.c 2>/dev/null | sed 's/\.c$//')

# man_items MAN: "-x<TAB>--name" (or "<TAB>--name") for every .It Fl item,
# in any section, as the table dump prints them.
man_items() {
	sed 's/\\-/-/g' "$1" | awk '$1 == ".It" && $2 == "Fl" {
		short = ""; long = ""
		if ($3 ~ /^-/) long = "-" $3
		else {
			short = "-" $3
			w = ($4 == "," && $5 == "Fl") ? $6 : ($4 == "," ? $5 : "")
			if (w ~ /^-/) long = "-" w
		}
		print short "\t" long
	}' | sort
}

all_tables=

for t in $tools; do
	bin="$PK_BIN/$t"
	run "$bin" --help
	expect "$t --help exits 0" 0
	check "$t --help prints usage on stdout" grep -q "Usage\|usage" "$PK_TMP/out"
	help_opts=$(grep -oE -- '--[a-z][a-z0-9-]+' "$PK_TMP/out" | sort -u)
	run "$bin" -V
	expect "$t -V exits 0" 0
	expect_out "$t -V names the tool" "^$t "
	run "$bin" --no-such-option
	expect "$t: unknown option is a usage error, nothing on stdout" 2 ""
	check "$t: one stderr line naming the option" \
		test "$ERR" = "$t: unknown option '--no-such-option' (try '$t --help')"
	run "$bin" -t
	expect "$t: -t without a value is a usage error" 2 ""
	check "$t: the message says the value is missing" \
		test "$ERR" = "$t: option '-t' needs a value (try '$t --help')"

	run "$bin" --dump-options
	expect "$t --dump-options exits 0" 0
	table=$(cut -f1,2 "$PK_TMP/out" | sort)
	all_tables="$all_tables$(sed "s/^/$t\t/" "$PK_TMP/out")
"
	table_longs=$(cut -f2 "$PK_TMP/out" | sort -u)
	check "$t: --help lists exactly the table's options" test "$help_opts" = "$table_longs"

	man="$PK_TOP/man/$t.1"
	if [ -f "$man" ]; then
		items=$(man_items "$man")
		undocumented=$(comm -23 <(echo "$table") <(echo "$items") | tr '\t\n' '  ')
		unknown=$(comm -13 <(echo "$table") <(echo "$items") | tr '\t\n' '  ')
		check "$t: every table option is a man page item (same short letter)${undocumented:+ (missing: $undocumented)}" \
			test -z "$undocumented"
		check "$t: every man page option item is in the table${unknown:+ (not in the table: $unknown)}" \
			test -z "$unknown"
	fi
	bashc="$PK_COMP/bash/$t"
	check "$t has a man page" test -f "$man"
	check "$t has bash, zsh and fish completions" \
		test -f "$bashc" -a -f "$PK_COMP/zsh/_$t" -a -f "$PK_COMP/fish/$t.fish"
	[ -f "$man" ] || continue
	run mandoc -Tlint -W warning "$man"
	expect "$t.1 passes mandoc -Tlint" 0
	for sec in SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT "EXIT STATUS" EXAMPLES "DEVICE NOTES"; do
		check "$t.1 has a $sec section" grep -q "^\.Sh $sec" "$man"
	done
	zshc="$PK_COMP/zsh/_$t"
	fishc="$PK_COMP/fish/$t.fish"
	# The completions are generated shims that ask the tool: what they
	# offer is checked by running them.
	bash_offers=$(bash_comp "$t --")
	zsh_offers=$(zsh_comp "$t --")
	rendered=$(mandoc -Tascii "$man" 2>/dev/null | sed "s/.\x08//g")
	missing_man= missing_item= missing_bash= missing_zsh= missing_fish=
	for o in $help_opts; do
		m=${o#--}
		grep -q -- "$o" <<<"$rendered" || missing_man="$missing_man $o"
		# documented as an option item (.It Fl ... -name), not just mentioned
		grep -qE -- "^\.It Fl.*(\\\\)?-${m}( |$)" "$man" || missing_item="$missing_item $o"
		grep -qx -- "$o" <<<"$bash_offers" || missing_bash="$missing_bash $o"
		grep -qx -- "$o" <<<"$zsh_offers" || missing_zsh="$missing_zsh $o"
		grep -qx -- "$o" <<<"$(fish_comp "$t $o")" || missing_fish="$missing_fish $o"
	done
	check "$t: --help lists long options" test -n "$help_opts"
	check "$t: every --help long option is in the rendered man page${missing_man:+ (missing:$missing_man)}" test -z "$missing_man"
	check "$t: every --help long option has a man page item${missing_item:+ (missing:$missing_item)}" test -z "$missing_item"
	check "$t: every --help long option is in the bash completion${missing_bash:+ (missing:$missing_bash)}" test -z "$missing_bash"
	check "$t: every --help long option is in the zsh completion${missing_zsh:+ (missing:$missing_zsh)}" test -z "$missing_zsh"
	check "$t: every --help long option is in the fish completion${missing_fish:+ (missing:$missing_fish)}" test -z "$missing_fish"
	[ -f "$bashc" ] && check "$t bash completion parses" bash -n "$bashc"
	[ -f "$zshc" ] && check "$t zsh completion parses" zsh -n "$zshc"
	if [ -f "$fishc" ]; then
		check "$t fish completion parses" fish -n "$fishc"
		# fish really offers the options when the file is loaded
		offered=$(fish -c "source '$fishc'; complete -C '$t --'" 2>/dev/null | cut -f1 | sort -u)
		missing_offer=
		for o in $help_opts; do
			grep -qx -- "$o" <<<"$offered" || missing_offer="$missing_offer $o"
		done
		check "$t: fish offers every --help long option${missing_offer:+ (missing:$missing_offer)}" \
			test -z "$missing_offer"
	fi

	needed=$(readelf -d "$bin" 2>/dev/null | grep NEEDED)
	if [ "$t" = wattctl ]; then
		check "wattctl links libssh and libcurl" grep -q 'libssh.*\|libcurl' <<<"$needed"
	elif grep -q 'libnettle\|libcrypto' <<<"$needed"; then
		# pductl's SNMPv3 loads nettle when it needs it (t_pdu_v3.sh)
		not_ok "$t links no cryptography (has: $(echo $needed | tr -s ' '))"
	else
		if grep -q 'libssh\|libcurl' <<<"$needed"; then
			not_ok "$t links only libc (has: $(echo $needed | tr -s ' '))"
		else
			ok "$t links neither libssh nor libcurl"
		fi
	fi
done

# One name, one meaning: a long option has the same short letter and
# takes a value (or not) in every tool that has it.
clash=$(printf '%s' "$all_tables" | awk -F'\t' 'NF >= 3 {
	k = ($2 != "" ? $2 : "no short letter") ", " ($4 != "" ? "takes a value" : "a flag")
	if (($3 in seen) && seen[$3] != k) print $3 " (" seen[$3] " vs " k ")"
	seen[$3] = k }' | sort -u | tr '\n\t' '; ')
check "an option name means the same in every tool${clash:+: $clash}" test -z "$clash"

# Staged install and uninstall, on the plain build only (installing the
# sanitizer build would mean another compile of the same sources).
if [ "$(basename "$PK_BIN")" = build ] && [ -n "$tools" ]; then
	stage="$PK_TMP/stage"
	run make -s -C "$PK_TOP" install DESTDIR="$stage" PREFIX=/usr
	expect "make install DESTDIR=... PREFIX=/usr" 0
	for t in $tools; do
		check "$t installed to bin with mode 755" test -x "$stage/usr/bin/$t"
		[ -f "$PK_TOP/man/$t.1" ] && check "$t.1 installed" test -f "$stage/usr/share/man/man1/$t.1"
		check "$t bash, zsh and fish completions installed" \
			test -f "$stage/usr/share/bash-completion/completions/$t" -a \
			     -f "$stage/usr/share/zsh/site-functions/_$t" -a \
			     -f "$stage/usr/share/fish/vendor_completions.d/$t.fish"
	done
	run make -s -C "$PK_TOP" uninstall DESTDIR="$stage" PREFIX=/usr
	expect "make uninstall" 0
	left=$(find "$stage" -type f | head -5)
	check "uninstall leaves no files${left:+ (left: $left)}" test -z "$left"
fi
