#!/usr/bin/env bash
# `make test`: the project's own tests.  Each step prints one line; the last
# line counts them ("N passed, N failed").  Everything runs under ASan too.
set -u
cd "$(dirname "$0")/.."
B=build
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netconform-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# step NAME COMMAND...: runs COMMAND, its output kept in $tmp/NAME.log.
step() {
	local name=$1 started=$SECONDS
	shift
	if "$@" >"$tmp/$name.log" 2>&1; then
		passed=$((passed + 1))
		printf 'ok    %-40s %3ds\n' "$name" $((SECONDS - started))
	else
		failed=$((failed + 1))
		printf 'FAIL  %-40s %3ds\n' "$name" $((SECONDS - started))
		sed 's/^/      | /' "$tmp/$name.log" | tail -n 40
	fi
}

for t in tests/t_*.sh; do
	name=$(basename "$t" .sh)
	step "${name#t_}" env B="$B" TMP="$tmp" bash "$t"
done

echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
