# The libFuzzer targets (make fuzz) for 2 s each: the regression inputs
# replayed, then new inputs from the project's own files; no crash.  Linked
# here from the ASan build's objects (tests/run.sh waits for $B/asan/), so
# that a target that does not link fails this step alone.
. "$(dirname "$0")/lib.sh"
# a make of its own (-j the Makefile's), not a child of make test's
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make --no-print-directory -s B="$B" fuzzers \
	>"$TMP/fuzz-build.log" 2>&1 || fail "make fuzzers: $(tail -5 "$TMP/fuzz-build.log")"
[ -x "$B/asan/fuzz/fuzz_scenario" ] || fail "no fuzz targets built (make fuzzers)"
B=$B bash tests/fuzz.sh "${FUZZ_SMOKE_SECONDS:-2}" || fail "a fuzz target crashed"
