#!/usr/bin/env bash
# `make deps` (no arguments): the Debian packages netconform needs, the base
# set below plus every list in harness/deps.d/.  `make deps-vm`: the lists
# given as arguments only (harness/vm/packages.txt: QEMU and a second kernel,
# which a host run does not need).  Missing ones are installed with apt-get
# as root; otherwise we say what to install.
#
# A list has one "PACKAGE [COMMAND]" per line: a COMMAND already on the PATH
# (say npm, shipped inside another vendor's nodejs) stands for the package.
set -eu
here=$(dirname "$0")
packages=()
if [ $# -eq 0 ]; then
	# iptables: not the suite's (its faults are nf_tables rules made in
	# process); make bench builds the same topology with ip and iptables
	# commands to compare (tests/bench.sh), and t_host_safety snapshots
	# the host's rules with iptables-save.
	packages=(gcc make pkg-config libcunit1-dev libnl-3-dev libnl-route-3-dev
		  libnl-idiag-3-dev libxml2-dev libcap-dev iproute2 iptables
		  libxml2-utils)
	set -- "$here"/deps.d/*.txt
fi
for f in "$@"; do
	[ -e "$f" ] || continue
	while read -r p command _; do
		case "$p" in ''|'#'*) continue ;; esac
		[ -n "$command" ] && command -v "$command" >/dev/null && continue
		packages+=("$p")
	done <"$f"
done

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "netconform needs these Debian packages: ${missing[*]}" >&2
	echo "install them with: sudo apt-get install ${missing[*]}" >&2
	exit 2
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
