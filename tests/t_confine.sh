# A check's body cannot touch the host, root or not (lib/world/confine.h):
# selftest.escapes tries to leave a setuid-root file and a device node, write
# into a root-only directory, read /etc/shadow, open core_pattern and
# drop_caches for writing and remount / read-write; each must fail, while
# net.* of its own network namespace stays writable.  Run as root and as
# uid 65534 (through setpriv), and the host's directories stay empty.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || fail "needs root: it makes a root-only directory"
command -v setpriv >/dev/null || fail "no setpriv (util-linux)"
host=$(mktemp -d /tmp/netconform-confine.XXXXXX)
trap 'rm -rf "$host"' EXIT
mkdir -m 1777 "$host/open"
mkdir -m 0700 "$host/root-only"
mkdir -m 0755 "$host/bin"
cp "$B/netconform-selftest" "$host/bin/"
chmod 755 "$host" "$host/bin/netconform-selftest"

escapes() {	# WHO OUT [setpriv args]
	local who=$1 out=$2 status
	shift 2
	NC_SELFTEST_HOST=$host "$@" "$host/bin/netconform-selftest" run --no-expect \
		--filter 'selftest.escapes.*' --out "$out" >"$TMP/confine-$who.log" 2>&1
	status=$?
	[ $status -eq 0 ] || fail "$who: exit $status: $(grep -E '^(fail|error|skip) ' "$TMP/confine-$who.log")"
	[ "$(xmllint --xpath 'count(//check[@verdict="pass"])' "$out/results.xml")" = 7 ] ||
		fail "$who: not 7 passes: $(cat "$TMP/confine-$who.log")"
	[ -z "$(ls -A "$host/open")$(ls -A "$host/root-only")" ] ||
		fail "$who: a check's body left $(ls -A "$host/open" "$host/root-only")"
}
escapes root "$TMP/confine-root"
mkdir -m 0777 "$host/out"
escapes rootless "$host/out/o" setpriv --reuid=65534 --regid=65534 --clear-groups
grep -q '<item name="sandbox">unprivileged' "$host/out/o/results.xml" ||
	fail "the run as uid 65534 was not unprivileged"
exit 0
