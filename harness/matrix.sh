#!/usr/bin/env bash
# matrix.sh [OUT]: `make matrix`.  Runs the suite on every platform this
# machine can run, one after the other (two cores: one VM at a time), each
# into OUT/NAME/, then `netconform matrix` over all of them into OUT
# (default reports/matrix).  A platform that cannot run here gets
# OUT/NAME/platform.txt saying why, and stays a column of the matrix:
#   host-glibc            this kernel, this libc
#   host-musl             this kernel, musl (netconform run --libc musl)
#   CODENAME-X.Y-glibc    Debian's kernel from the host's apt, the host's root
#   trixie-6.12-glibc     Debian 13's kernel and root (harness/platform.sh)
#   trixie-6.12-musl      the same with musl
# Exit status: netconform matrix's (1 when a platform has a fail, an error
# or an xpass, or could not run by error).
set -u
cd "$(dirname "$0")/.."
B=${B:-build}
out=${1:-reports/matrix}
nc=$B/netconform
columns=()

say() { echo "matrix: $*"; }
# not_run NAME skipped|error REASON
not_run() {
	rm -rf "${out:?}/$1" && mkdir -p "$out/$1"
	printf 'status: %s\nreason: %s\n' "$2" "$3" >"$out/$1/platform.txt"
	say "$1: $2: $3"
	columns+=("$out/$1")
}
# run_platform NAME RUN-ARGS...: exit status 2 (could not run) is an error
# column with the run's last line.
run_platform() {
	local name=$1 started=$SECONDS status
	shift
	say "$name: netconform run $*"
	"$nc" run --out "$out/$name" "$@" >"$out/$name.log" 2>&1
	status=$?
	if [ $status -ge 2 ]; then
		not_run "$name" error "$(grep -v '^$' "$out/$name.log" | tail -1) (log: $out/$name.log)"
		return
	fi
	say "$name: $(grep -o '[0-9]* checks in .*' "$out/$name.log" | tail -1)" \
	    "($((SECONDS - started)) s in all, log: $out/$name.log)"
	columns+=("$out/$name")
}
# kernel_of PLATFORM NAME...: harness/platform.sh's kernel image; when it
# cannot be made, the NAMEs become columns that say why.
kernel_of() {
	local platform=$1 kernel status reason started=$SECONDS
	shift
	kernel=$(B=$B bash harness/platform.sh "$platform" 2>"$out/platform-$platform.log")
	status=$?
	if [ $status -eq 0 ]; then
		say "platform $platform ready in $((SECONDS - started)) s: $kernel"
		echo "$kernel" >"$out/platform-$platform.kernel"
		return 0
	fi
	reason=$(grep -v '^$' "$out/platform-$platform.log" | tail -1)
	for name in "$@"; do
		not_run "$name" "$([ $status -eq 3 ] && echo skipped || echo error)" \
			"${reason:-harness/platform.sh $platform: exit status $status}"
	done
	return 1
}
has_musl() { "$nc" --help 2>&1 | grep -q -- '--libc'; }
no_musl="netconform run has no --libc musl yet: the checks are not built for musl"

rm -rf "${out:?}" && mkdir -p "$out"
started=$SECONDS
run_platform host-glibc
if has_musl; then run_platform host-musl --libc musl; else not_run host-musl skipped "$no_musl"; fi

codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-host}")
qemu=$(command -v qemu-system-x86_64 || true)
if [ -z "$qemu" ]; then
	for name in "$codename-kernel-glibc" trixie-6.12-glibc trixie-6.12-musl; do
		not_run "$name" skipped "qemu-system-x86_64 not found (make deps-vm)"
	done
else
	if kernel_of debian-kernel "$codename-kernel-glibc"; then
		kernel=$(cat "$out/platform-debian-kernel.kernel")
		version=$(basename "$kernel")
		version=${version#vmlinuz-}
		run_platform "$codename-${version%.*-*}-glibc" --kernel "$kernel"
	fi
	if kernel_of trixie trixie-6.12-glibc trixie-6.12-musl; then
		kernel=$(cat "$out/platform-trixie.kernel")
		run_platform trixie-6.12-glibc --kernel "$kernel"
		if has_musl; then
			run_platform trixie-6.12-musl --kernel "$kernel" --libc musl
		else
			not_run trixie-6.12-musl skipped "$no_musl"
		fi
	fi
fi
say "all platforms in $((SECONDS - started)) s"
"$nc" matrix "${columns[@]}" --out "$out"
