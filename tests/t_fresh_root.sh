# A host root as a fresh Debian machine may have it: no netbase (so no
# /etc/services), no /etc/hosts, /etc/resolv.conf, /etc/nsswitch.conf,
# /etc/host.conf or /etc/gai.conf.  The resolver checks build their world
# without them (an /etc overlay of the check's own), as root and rootless,
# with the verdicts of the full root; the host's /etc is not written.
# (t_vm runs the VM path where /lib/modules does not exist.)
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "not root: cannot hide files in a mount namespace"; exit 0; }
command -v setpriv >/dev/null || fail "no setpriv (util-linux)"
hidden="hosts services resolv.conf nsswitch.conf host.conf gai.conf"
filters=(--filter 'servent.*' --filter 'hostent.*' --filter 'getaddrinfo.*' --filter 'getnameinfo.*')

user=$(mktemp -d /tmp/netconform-fresh.XXXXXX)
trap 'rm -rf "$user"' EXIT
cp "$B/netconform" "$user"/
cp -r scenarios expectations "$user"/
chmod -R a+rX "$user"
mkdir "$user/out" && chown 65534:65534 "$user/out"
args=(run --expect "$user/expectations/linux.txt" --scenarios "$user/scenarios" "${filters[@]}")
before=$(cd /etc && sha256sum $hidden 2>/dev/null)

"$B/netconform" "${args[@]}" --out "$TMP/fresh-full" >"$TMP/fresh-full.log" 2>&1
[ $? -le 1 ] || fail "run on the full root: $(tail -3 "$TMP/fresh-full.log")"

# An overlay whiteout (a 0/0 character device) hides each file, in a mount
# namespace of this test's own.
mkdir -p "$TMP/etc/upper" "$TMP/etc/work"
for f in $hidden; do mknod "$TMP/etc/upper/$f" c 0 0; done
unshare -m --propagation private bash -c '
	mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1/upper,workdir=$1/work" /etc || exit 3
	for f in '"$hidden"'; do [ ! -e "/etc/$f" ] || exit 4; done
	"$2/netconform" "${@:4}" --out "$3/fresh-root" >"$3/fresh-root.log" 2>&1
	[ $? -le 1 ] || exit 5
	setpriv --reuid=65534 --regid=65534 --clear-groups "$2/netconform" "${@:4}" \
		--out "$2/out/rootless" >"$3/fresh-rootless.log" 2>&1
	[ $? -le 1 ] || exit 6' sh "$TMP/etc" "$user" "$TMP" "${args[@]}"
case $? in
0) ;;
3) fail "cannot mount an overlay on /etc to hide its files" ;;
4) fail "the overlay did not hide the files" ;;
5) fail "root run without the /etc files: $(tail -3 "$TMP/fresh-root.log")" ;;
6) fail "rootless run without the /etc files: $(tail -3 "$TMP/fresh-rootless.log")" ;;
*) fail "unshare failed" ;;
esac
[ "$before" = "$(cd /etc && sha256sum $hidden 2>/dev/null)" ] || fail "the host's /etc changed"

# An error that names the overload (make test's other lane, a busy host)
# says nothing of /etc: it is said and its check left out of the
# comparison, as make soak leaves it; any other error fails the step.
overloaded "$TMP/fresh-full/results.xml" >"$TMP/fresh-full.overloaded"
for run in "$TMP/fresh-root" "$user/out/rootless"; do
	overloaded "$run/results.xml" | cat - "$TMP/fresh-full.overloaded" >"$TMP/fresh.overloaded"
	[ ! -s "$TMP/fresh.overloaded" ] ||
		echo "$run: too loaded to judge, left out: $(sort -u "$TMP/fresh.overloaded" | tr '\n' ' ')"
	verdicts "$run/results.xml" | awk '$2 == "error" { print $1 }' |
		grep -vxF -f "$TMP/fresh.overloaded" >"$TMP/fresh.errors"
	[ ! -s "$TMP/fresh.errors" ] ||
		fail "$run: errors without the /etc files: $(while read -r id; do echo "$id: $(message_of "$run/results.xml" "$id" | head -n 1)"; done <"$TMP/fresh.errors" | head -n 3)"
	# Timing bounds are judged under load elsewhere (make soak): here the
	# verdicts of the checks that read only files must equal the full root's.
	sed 's/$/\t/' "$TMP/fresh.overloaded" >"$TMP/fresh.skip"
	diff <(verdicts "$TMP/fresh-full/results.xml" | grep '^servent\.' | grep -vF -f "$TMP/fresh.skip") \
	     <(verdicts "$run/results.xml" | grep '^servent\.' | grep -vF -f "$TMP/fresh.skip") >"$TMP/fresh.diff" ||
		fail "$run: verdicts differ without the /etc files: $(tr '\n' ' ' <"$TMP/fresh.diff")"
done
exit 0
