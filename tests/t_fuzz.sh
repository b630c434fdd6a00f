# The libFuzzer targets (make fuzz) for 4 s each: the regression inputs
# replayed, then new inputs from the project's own files; no crash.
. "$(dirname "$0")/lib.sh"
[ -x "$B/fuzz/tests/fuzz/fuzz_scenario" ] || fail "no fuzz targets built (make test builds them)"
B=$B bash tests/fuzz.sh "${FUZZ_SMOKE_SECONDS:-4}" || fail "a fuzz target crashed"
