#!/usr/bin/env bash
# platform.sh NAME: makes platform NAME's kernel (and root) under
# build/platforms/ from Debian's packages, once, and prints the kernel image
# to give `netconform run --kernel`.  Nothing is installed on the host.
#   debian-kernel  the kernel the host's apt calls linux-image-amd64 (6.1 on
#                  Debian 12): the .deb unpacked, its modules indexed; the
#                  guest runs on the host's root.
#   trixie         a Debian 13 root made by debootstrap with its kernel (6.12),
#                  glibc, musl-tools and the -dev packages the suite needs; the
#                  suite is copied into it at this checkout's path and built
#                  there with its own gcc.  The guest runs on that root.
#   runsc          gVisor's runsc from Debian 13 (package runsc): fetched with
#                  apt-get download through a private apt configuration (a
#                  trixie source, its own lists under build/platforms/apt; the
#                  host's sources untouched), unpacked; prints the program.
# Exit status 3, with the reason on stderr in one line, when this machine
# cannot make the platform (no package access, not root, no debootstrap).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: platform.sh debian-kernel|trixie|runsc}
platforms=${B:-build}/platforms
mkdir -p "$platforms"
platforms=$(cd "$platforms" && pwd)

cannot() { echo "$*" >&2; exit 3; }
trap 'echo "harness/platform.sh $name: line $LINENO failed" >&2' ERR
log() { echo "platform $name: $*" >&2; }

# The packages a suite build needs (harness/deps.sh, harness/deps.d) and
# what the guest runs with; musl-tools for the musl build; netbase for the
# /etc/hosts and /etc/services that the resolver checks bind their own over
# (a minbase root has neither).
trixie_packages=netbase,gcc,make,pkg-config,libc6-dev,libcunit1-dev,libnl-3-dev,libnl-route-3-dev,libnl-idiag-3-dev,libxml2-dev,libcap-dev,libpcap-dev,libldns-dev,libnftnl-dev,libmnl-dev,iproute2,nftables,kmod,musl-tools,linux-image-amd64

debian_kernel() {
	local package dir deb version
	command -v apt-get >/dev/null || cannot "no apt-get: Debian's kernel package cannot be fetched"
	package=$(apt-cache depends linux-image-amd64 2>/dev/null |
		  awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
	[ -n "$package" ] || cannot "apt knows no linux-image-amd64 (apt-get update?)"
	dir=$platforms/$package
	if [ ! -d "$dir" ]; then
		log "fetching $package (apt-get download) and unpacking it"
		rm -rf "$dir.tmp" && mkdir -p "$platforms/debs" "$dir.tmp"
		# apt's download sandbox user cannot write into build/: fetch as us.
		(cd "$platforms/debs" && apt-get download -o APT::Sandbox::User="$(id -un)" \
			"$package" >/dev/null 2>"$dir.tmp.err") ||
			cannot "apt-get download $package failed: $(tail -1 "$dir.tmp.err")"
		deb=$(ls "$platforms/debs/${package}_"*.deb | tail -1)
		dpkg-deb -x "$deb" "$dir.tmp"
		version=$(basename "$(ls "$dir.tmp"/boot/vmlinuz-*)")
		version=${version#vmlinuz-}
		# The .deb leaves modules.dep to its postinst: index them here.
		depmod -b "$dir.tmp" "$version"
		rm -f "$dir.tmp.err"
		mv "$dir.tmp" "$dir"
	fi
	ls "$dir"/boot/vmlinuz-* | tail -1
}

# The suite's source, as it is here, at the same path inside the root
# (harness/vm.c runs it there with the host's command line); its build
# directory stays, so a second run rebuilds only what changed.
trixie_suite() {
	local root=$1 here version
	here=$(pwd)
	mkdir -p "$root$here"
	find "$root$here" -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} +
	tar -cf - --exclude=./build --exclude=./reports/out --exclude=./reports/vm \
	    --exclude=./.git . | tar -C "$root$here" -xf -
	version=$(git describe --always --dirty 2>/dev/null || echo 0.1)
	log "building the suite inside the root (its gcc, its libc, its musl)"
	chroot "$root" /bin/sh -c "cd '$here' && make -j2 VERSION='$version' build/netconform build/netconform-musl" \
		>"$root.build.log" 2>&1 ||
		{ tail -5 "$root.build.log" >&2; cannot "the suite does not build in $root (log: $root.build.log)"; }
}

trixie() {
	local root=$platforms/trixie/root mirror
	if [ ! -d "$root" ]; then
		[ "$(id -u)" -eq 0 ] || cannot "debootstrap needs root"
		command -v debootstrap >/dev/null ||
			cannot "debootstrap not found (make deps-vm)"
		mirror=$(host_mirror)
		log "debootstrap trixie from ${mirror:-http://deb.debian.org/debian} (a minute or more)"
		rm -rf "$root.tmp" && mkdir -p "$root.tmp"
		debootstrap --variant=minbase --include="$trixie_packages" trixie "$root.tmp" \
			"${mirror:-http://deb.debian.org/debian}" >"$root.log" 2>&1 ||
			cannot "debootstrap trixie failed: $(tail -1 "$root.log") (log: $root.log)"
		mv "$root.tmp" "$root"
		echo "$trixie_packages" >"$root.packages"
	fi
	# A root made from an older package list gets what the list added.
	if [ "$(cat "$root.packages" 2>/dev/null)" != "$trixie_packages" ]; then
		log "installing the root's missing packages"
		chroot "$root" apt-get install -y -qq --no-install-recommends \
			$(echo "$trixie_packages" | tr , ' ') >"$root.apt.log" 2>&1 ||
			cannot "apt-get install in $root failed (log: $root.apt.log)"
		echo "$trixie_packages" >"$root.packages"
	fi
	# NC_SUITE_BUILT: made once already by this make matrix
	[ -n "${NC_SUITE_BUILT:-}" ] || trixie_suite "$root"
	ls "$root"/boot/vmlinuz-* | tail -1
}

# The mirror apt uses here (deb822 or one-line sources).
host_mirror() {
	cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
	    /etc/apt/sources.list 2>/dev/null |
		grep -oE 'https?://[^ ]*/debian/?( |$)' | grep -v security | head -1 | tr -d ' ' || true
}

runsc() {
	local apt=$platforms/apt dir deb version mirror
	command -v apt-get >/dev/null || cannot "no apt-get: Debian 13's runsc cannot be fetched"
	dir=$(ls -d "$platforms"/runsc-*/ 2>/dev/null | tail -1 || true)
	if [ -z "$dir" ]; then
		mirror=$(host_mirror)
		mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$platforms/debs"
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror:-http://deb.debian.org/debian} trixie main" \
			>"$apt/sources.list"
		cat >"$apt/apt.conf" <<-EOF
			Dir::Etc::SourceList "$apt/sources.list";
			Dir::Etc::SourceParts "/nonexistent";
			Dir::Etc::PreferencesParts "/nonexistent";
			Dir::State::Lists "$apt/lists";
			Dir::Cache "$apt/cache";
			Dir::State::status "/dev/null";
			APT::Sandbox::User "$(id -un)";
		EOF
		log "fetching Debian 13's package list and runsc (apt-get download)"
		APT_CONFIG=$apt/apt.conf apt-get update -qq >"$apt/update.log" 2>&1 ||
			cannot "apt-get update (trixie) failed: $(tail -1 "$apt/update.log")"
		(cd "$platforms/debs" && APT_CONFIG=$apt/apt.conf apt-get download runsc \
			>/dev/null 2>"$apt/download.log") ||
			cannot "apt-get download runsc failed: $(tail -1 "$apt/download.log")"
		deb=$(ls "$platforms"/debs/runsc_*.deb | tail -1)
		version=$(dpkg-deb -f "$deb" Version)
		dir=$platforms/runsc-${version//\~/-}
		rm -rf "$dir.tmp" && dpkg-deb -x "$deb" "$dir.tmp" && mv "$dir.tmp" "$dir"
	fi
	echo "${dir%/}/usr/bin/runsc"
}

case $name in
debian-kernel) debian_kernel ;;
trixie) trixie ;;
runsc) runsc ;;
*) echo "platform.sh: unknown platform '$name' (debian-kernel, trixie, runsc)" >&2; exit 2 ;;
esac
