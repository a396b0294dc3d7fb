#!/bin/sh
# deps.sh TARGET — installs the Debian packages TARGET needs (as root), or
# prints the exact apt-get line and exits 2 when not root.  Packages marked
# "unpack" in tests/packages are fetched and unpacked into $PK_CACHE
# (default ~/.cache/powerkit) by any user, never installed: lib.sh finds
# their programs there.
target=${1:-check}
here=$(dirname "$0")
cache=${PK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/powerkit}

# packages TARGET KIND: the names for TARGET, installed or unpacked.
packages() {
	awk -v t="$1" -v kind="$2" '!/^#/ && NF > 1 {
		unpack = 0; wanted = 0
		for (i = 2; i <= NF; i++) { if ($i == "unpack") unpack = 1; if ($i == t) wanted = 1 }
		if (wanted && unpack == (kind == "unpack")) print $1
	}' "$here/packages"
}

# unpack PKG: apt-get download + dpkg -x into $cache/PKG, built aside and
# renamed into place, so a concurrent run sees all of it or nothing.
unpack() {
	[ -d "$cache/$1" ] && return 0
	mkdir -p "$cache" || return 1
	work=$(mktemp -d "$cache/.$1.XXXXXX") || return 1
	echo "powerkit: unpacking $1 into $cache/$1" >&2
	if (cd "$work" && apt-get download -qq "$1" >/dev/null 2>&1 &&
		dpkg -x "$work"/"$1"_*.deb "$work/root"); then
		mv -T "$work/root" "$cache/$1" 2>/dev/null || [ -d "$cache/$1" ]
		rc=$?
	else
		echo "powerkit: apt-get download $1 failed" >&2
		rc=1
	fi
	rm -rf "$work"
	return $rc
}

for pkg in $(packages "$target" unpack); do
	unpack "$pkg" || exit 2
done
missing=
for pkg in $(packages "$target" install); do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "powerkit: missing Debian packages; as root run:" >&2
	echo "apt-get install -y$missing" >&2
	exit 2
fi
echo "powerkit: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || exit 2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 2
