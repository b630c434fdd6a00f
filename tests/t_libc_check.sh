# The check layer (lib/base, lib/check) links with libc alone: a program of
# it and nothing else writes records and reads them back (tests/libc_check.c).
# With musl-gcc, the same sources build into a static musl program too.
. "$(dirname "$0")/lib.sh"
for bin in "$B/tests/libc_check" "$B/asan/tests/libc_check"; do
	[ -x "$bin" ] || fail "$bin not built"
	"$bin" || fail "$bin"
done
libs=$(objdump -p "$B/tests/libc_check" | awk '$1 == "NEEDED" { print $2 }' | sort | tr '\n' ' ')
[ "$libs" = "libc.so.6 " ] || fail "libc_check needs more than libc: $libs"
if command -v musl-gcc >/dev/null; then
	musl=$TMP/libc_check.musl
	musl-gcc -static -std=gnu11 -D_GNU_SOURCE -Ilib/base -Ilib/check -O2 -Wall -Wextra -Werror \
		-o "$musl" tests/libc_check.c lib/base/*.c lib/check/*.c || fail "musl-gcc -static"
	"$musl" || fail "the musl build"
else
	echo "musl-gcc not installed (musl-tools): the static musl build was not tried"
fi
exit 0
