# Unit tests (CUnit), under AddressSanitizer.
. "$(dirname "$0")/lib.sh"
"$B/asan/tests/unit"
