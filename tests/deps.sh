#!/bin/sh
# deps.sh TARGET — installs the Debian packages TARGET needs (as root), or
# prints the exact apt-get line and exits 2 when not root.
target=${1:-check}
here=$(dirname "$0")
missing=
for pkg in $(awk -v t="$target" '!/^#/ && NF > 1 { for (i = 2; i <= NF; i++) if ($i == t) print $1 }' "$here/packages"); do
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
