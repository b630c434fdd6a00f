#!/usr/bin/env bash
# matrix.sh [OUT]: `make matrix`.  Runs the suite on every platform of
# harness/platforms.txt (the one place that says what a platform is), one
# after the other (two cores: one VM at a time), each into OUT/NAME/ with
# `netconform run --platform NAME`, then `netconform matrix` over all of them
# into OUT (default reports/matrix).  Each platform's GET is made once
# (harness/platform.sh); a platform that cannot run here gets
# OUT/NAME/platform.txt saying why, and stays a column of the matrix.
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
# made GET: harness/platform.sh GET once per matrix; its status (0 made,
# 3 this machine cannot, else an error) and last line kept.
declare -A made_status made_line
made() {
	local get=$1 started=$SECONDS
	if [ -z "${made_status[$get]:-}" ]; then
		made_line[$get]=$(B=$B bash harness/platform.sh "$get" 2>"$out/platform-$get.log")
		made_status[$get]=$?
		[ "${made_status[$get]}" -eq 0 ] &&
			say "platform $get ready in $((SECONDS - started)) s: ${made_line[$get]}"
		[ "${made_status[$get]}" -eq 0 ] ||
			made_line[$get]=$(grep -v '^$' "$out/platform-$get.log" | tail -1)
	fi
	return "${made_status[$get]}"
}
qemu=$(command -v qemu-system-x86_64 || true)

rm -rf "${out:?}" && mkdir -p "$out"
started=$SECONDS
while read -r -u 3 name get enter libc scale expect; do
	case $name in ''|'#'*) continue ;; esac
	if [ "$enter" = qemu ] && [ -z "$qemu" ]; then
		not_run "$name" skipped "qemu-system-x86_64 not found (make deps-vm)"
		continue
	fi
	if [ "$get" != - ] && ! made "$get"; then
		not_run "$name" "$([ "${made_status[$get]}" -eq 3 ] && echo skipped || echo error)" \
			"${made_line[$get]:-harness/platform.sh $get: exit status ${made_status[$get]}}"
		continue
	fi
	# made once above: the suite in a root is not built again for each run
	NC_SUITE_BUILT=1 run_platform "$name" --platform "$name"
done 3<harness/platforms.txt
say "all platforms in $((SECONDS - started)) s"
"$nc" matrix "${columns[@]}" --out "$out"
