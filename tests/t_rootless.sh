# The suite run by an unprivileged user (uid 65534, through setpriv) gives
# the verdicts of the root run, but for the skips listed below with why.
# As an ordinary user, make test is rootless already: nothing to compare.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "not root: the other steps ran rootless"; exit 0; }
command -v setpriv >/dev/null || fail "no setpriv (util-linux)"

# check  root-verdict  rootless-verdict  why
allowed="\
bind.privileged_port.ipv4-nobody pass skip an unprivileged sandbox maps one uid: there is no other user to drop to
bind.privileged_port.ipv6-nobody pass skip an unprivileged sandbox maps one uid: there is no other user to drop to
bind.privileged_port.ipv6-edge-nobody pass skip an unprivileged sandbox maps one uid: there is no other user to drop to"

# Everything the unprivileged run reads is copied where it may read it
# (the checkout may be under a home directory it cannot enter).
user=$(mktemp -d /tmp/netconform-rootless.XXXXXX)
trap 'rm -rf "$user"' EXIT
cp "$B/netconform" "$user"/
cp -r scenarios expectations "$user"/	# linux.txt includes linux-kernel.txt
chmod -R a+rX "$user"
chown 65534:65534 "$user"
args=(run --expect "$user/expectations/linux.txt" --scenarios "$user/scenarios")

"$B/netconform" "${args[@]}" --out "$TMP/rootless-root" >"$TMP/rootless-root.log" 2>&1
[ $? -le 1 ] || fail "root run: $(tail -3 "$TMP/rootless-root.log")"
setpriv --reuid=65534 --regid=65534 --clear-groups "$user/netconform" "${args[@]}" \
	--out "$user/out" >"$TMP/rootless.log" 2>&1
status=$?
[ $status -le 1 ] || fail "rootless run: exit $status: $(tail -3 "$TMP/rootless.log")"
grep -q '<item name="sandbox">unprivileged' "$user/out/results.xml" ||
	fail "the run as uid 65534 was not unprivileged"

diff <(verdicts "$TMP/rootless-root/results.xml") <(verdicts "$user/out/results.xml") |
	sed -n 's/^< //p; s/^> //p' | sort >"$TMP/rootless.diff"
while read -r id root rootless _; do
	grep -qx "$id	$root" "$TMP/rootless.diff" && grep -qx "$id	$rootless" "$TMP/rootless.diff" ||
		fail "$id: expected $root as root and $rootless rootless"
	sed -i "/^$id	/d" "$TMP/rootless.diff"
done <<<"$allowed"
[ -s "$TMP/rootless.diff" ] && fail "verdicts differ rootless: $(tr '\n' ' ' <"$TMP/rootless.diff")"
exit 0
