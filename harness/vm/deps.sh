#!/usr/bin/env bash
# `make deps-vm`: what `netconform run --kernel` needs beyond `make deps`
# (QEMU, Debian's 6.1 kernel...), from harness/vm/packages.txt, installed
# when missing.  A list apart: harness/deps.sh installs every list in
# harness/deps.d/ on each `make deps`, and a host run needs no QEMU.
set -eu
packages=()
while read -r p _; do
	case "$p" in ''|'#'*) ;; *) packages+=("$p") ;; esac
done <"$(dirname "$0")/packages.txt"

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "netconform's VM mode needs these Debian packages: ${missing[*]}" >&2
	echo "install them with: sudo apt-get install ${missing[*]}" >&2
	exit 2
fi
echo "deps-vm: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
