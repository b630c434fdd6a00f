# The scenario engine, from inside: every kind of element built and checked
# with the kernel's own view (tests/tool_net_check.c), under ASan.
. "$(dirname "$0")/lib.sh"
"$B/asan/tests/tool_net_check"
