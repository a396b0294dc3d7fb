# complete_lib.sh — drives the generated completions without a terminal.
# Each function takes the command line up to the cursor and prints the
# candidates the shell would offer, one a line.  The tools are found in
# $PK_BIN (put first on PATH).
PATH=$PK_BIN:$PATH
PK_COMP=$PK_BIN/completions

# bash: programmable completion as bash runs it (COMP_LINE, COMP_POINT,
# and COMP_WORDS split at blanks and at ':' and '=' like COMP_WORDBREAKS).
bash_comp() {
	bash -c '
		tool=${1%% *}
		. "$2/bash/$tool"
		COMP_LINE=$1 COMP_POINT=${#1}
		read -ra COMP_WORDS <<<"$(sed "s/[:=]/ & /g" <<<"$1")"
		[[ $1 == *[[:space:]] ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_$tool
		printf "%s\n" "${COMPREPLY[@]}"' _ "$1" "$PK_COMP"
}

# zsh: the completion function with compadd replaced by a stub that
# prints its matches.
zsh_comp() {
	zsh -fc '
		tool=${1%% *}
		words=(${(z)1})
		[[ $1 == *" " ]] && words+=("")
		CURRENT=${#words} PREFIX=${words[-1]}
		compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -rl -- "$@"; }
		_files() { }; _hosts() { }
		. "$2/zsh/_$tool"' _ "$1" "$PK_COMP"
}

# fish: complete -C, candidates without their descriptions.
fish_comp() {
	local tool=${1%% *}
	fish -c "source '$PK_COMP/fish/$tool.fish'; complete -C '$1'" 2>/dev/null | cut -f1
}
