# The Debian package: built by dpkg-buildpackage (debian/) from a copy of
# the tracked files, installed into a clean Debian 12 root, where
# `netconform doctor` and a short run pass from /, then purged, leaving none
# of its files.  The root is made once by debootstrap --variant=minbase
# with the libraries the package depends on (so that dpkg -i needs no
# network), cached under build/platforms/ (with the other roots, which the
# Makefile does not look into); each test installs into an overlay of it, so
# the cached root stays clean.
. "$(dirname "$0")/lib.sh"
for tool in dpkg-buildpackage dh debootstrap unshare; do
	command -v $tool >/dev/null || fail "$tool is missing (make deps-test)"
done
libs=netbase,libcunit1,libnl-3-200,libnl-route-3-200,libnl-idiag-3-200,libxml2,libcap2,libpcap0.8,libldns3,libnftnl11,libmnl0
root=$(mkdir -p "$B/platforms" && cd "$B/platforms" && pwd)/deb-bookworm
if [ ! -f "$root/.made" ] || [ "$(cat "$root/.made")" != "$libs" ]; then
	rm -rf "$root" "$root.tmp"
	debootstrap --variant=minbase --include="$libs" bookworm "$root.tmp" >"$TMP/deb-debootstrap.log" 2>&1 ||
		fail "debootstrap: $(tail -n 3 "$TMP/deb-debootstrap.log")"
	echo "$libs" >"$root.tmp/.made"
	mv "$root.tmp" "$root"
fi

src=$TMP/deb-src/netconform
mkdir -p "$src"
git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$src"
(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b) \
	>"$TMP/deb-build.log" 2>&1 || fail "dpkg-buildpackage: $(tail -n 5 "$TMP/deb-build.log")"
deb=$(ls "$TMP"/deb-src/netconform_*.deb)
[ -f "$deb" ] || fail "no netconform_*.deb: $(ls "$TMP/deb-src")"
dpkg-deb -c "$deb" >"$TMP/deb-contents.txt"
grep -q ' \./usr/share/netconform/scenarios/loopback-only.scn$' "$TMP/deb-contents.txt" ||
	fail "the package has no scenarios under /usr/share/netconform"

mnt=$TMP/deb-mnt
mkdir -p "$mnt" "$TMP/deb-upper" "$TMP/deb-work"
cp "$deb" "$TMP/deb-upper.deb"
# A private mount namespace whose root is the overlay (pivot_root, not
# chroot: a chrooted process may not make the user namespace the sandbox
# needs); the host's files stay reachable under /.old to copy the logs out.
unshare --mount --pid --fork --kill-child bash -c '
	set -e
	mount --make-rprivate /
	mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/deb-upper,workdir=$2/deb-work" "$3"
	mkdir -p "$3/.old"
	cp "$2/deb-upper.deb" "$3/tmp/netconform.deb"
	cd "$3"
	pivot_root . .old
	cd /
	mount -t proc proc /proc
	mount --rbind /.old/dev /dev
	PATH=/usr/sbin:/usr/bin:/sbin:/bin
	out=/.old$2
	dpkg -i /tmp/netconform.deb >"$out/deb-install.log" 2>&1
	netconform doctor >"$out/deb-doctor.log" 2>&1 || echo "doctor: exit $?" >>"$out/deb-doctor.log"
	netconform run -j 4 --filter "socket.*" --out /tmp/out >"$out/deb-run.log" 2>&1 ||
		echo "run: exit $?" >>"$out/deb-run.log"
	cp /tmp/out/results.xml "$out/deb-results.xml" 2>/dev/null || true
	dpkg --purge netconform >"$out/deb-purge.log" 2>&1
	ls /usr/bin/netconform /usr/share/netconform /usr/share/doc/netconform >"$out/deb-left.log" 2>&1 || true
' deb-test "$root" "$TMP" "$mnt" || fail "installing in $root: $(tail -n 3 "$TMP/deb-install.log" 2>/dev/null)"
grep -q '^data  *ok   /usr/share/netconform$' "$TMP/deb-doctor.log" && grep -q '^doctor: ready$' "$TMP/deb-doctor.log" ||
	fail "doctor in the root: $(cat "$TMP/deb-doctor.log")"
grep -q '^Result: PASS' "$TMP/deb-run.log" || fail "run in the root: $(tail -n 5 "$TMP/deb-run.log")"
grep -q '<item name="expectations">/usr/share/netconform/expectations/linux.txt<' "$TMP/deb-results.xml" ||
	fail "the run in the root did not read /usr/share/netconform/expectations"
grep -q 'No such file or directory' "$TMP/deb-left.log" && ! grep -q '^/' "$TMP/deb-left.log" ||
	fail "dpkg --purge left: $(cat "$TMP/deb-left.log")"
[ "$(grep -c 'No such file' "$TMP/deb-left.log")" = 3 ] || fail "dpkg --purge left: $(cat "$TMP/deb-left.log")"
exit 0
