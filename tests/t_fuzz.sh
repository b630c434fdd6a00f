# The libFuzzer targets (make fuzz) for 2 s each: the regression inputs
# replayed, then new inputs from the project's own files; no crash.  Built
# with the ASan build, whose objects they link (tests/run.sh waits for it).
. "$(dirname "$0")/lib.sh"
[ -x "$B/asan/fuzz/fuzz_scenario" ] || fail "no fuzz targets built (make asan)"
B=$B bash tests/fuzz.sh "${FUZZ_SMOKE_SECONDS:-2}" || fail "a fuzz target crashed"
