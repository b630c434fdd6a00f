# The Debian package: built by dpkg-buildpackage (debian/) from a copy of
# the tracked files, installed into this Debian 12 root seen through an
# overlay (a tmpfs upper layer in a private mount namespace: the host's
# files stay as they are, and whatever an earlier `make install` left of
# netconform is hidden), where `netconform doctor` and a short run pass from
# /, then purged, leaving none of its files.  That its Depends are complete
# is shown apart: every shared library the program needs belongs to a
# package the .deb depends on (a root made by debootstrap proved as much
# and cost 150-180 s of make test).
. "$(dirname "$0")/lib.sh"
for tool in dpkg-buildpackage dh unshare; do
	command -v $tool >/dev/null || fail "$tool is missing (make deps-test)"
done

src=$TMP/deb-src/netconform
mkdir -p "$src"
git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C "$src"
# The package is what this step tests, not the compiler: the objects make
# test built are copied in with their times (as a compiler cache would give
# them) and dpkg-buildpackage keeps them (-nc: no clean first), so debian/rules
# compiles only what differs (version.h: no git here) at -O0 (noopt) and
# links.  A package built from nothing is `dpkg-buildpackage -b`; here that
# compile was 30 s of CPU again, and up to 100 s of the side lane's time.
# No -dbgsym package either (noautodbgsym): its debug symbols compressed
# were 2 to 4 s of CPU, for a package this step never looks at.
mkdir -p "$src/build"
(cd "$B" && tar -cf - obj gen ./*.a) | tar -xf - -C "$src/build"
(cd "$src" && DEB_BUILD_OPTIONS="nocheck noopt noautodbgsym parallel=$(nproc)" dpkg-buildpackage -us -uc -b -nc) \
	>"$TMP/deb-build.log" 2>&1 || fail "dpkg-buildpackage: $(tail -n 5 "$TMP/deb-build.log")"
deb=$(ls "$TMP"/deb-src/netconform_*.deb)
[ -f "$deb" ] || fail "no netconform_*.deb: $(ls "$TMP/deb-src")"
dpkg-deb -c "$deb" >"$TMP/deb-contents.txt"
grep -q ' \./usr/share/netconform/scenarios/loopback-only.scn$' "$TMP/deb-contents.txt" ||
	fail "the package has no scenarios under /usr/share/netconform"

# The package's Depends name the package of every library the program
# needs itself (its NEEDED entries, found where ldd finds them).  dpkg is
# asked once for all of them: each dpkg -S reads every package's file list.
dpkg-deb -x "$deb" "$TMP/deb-x"
depends=$(dpkg-deb -f "$deb" Depends | tr ',|' '\n\n' | sed 's/(.*//; s/[[:space:]]//g')
mapfile -t libs < <(ldd "$TMP/deb-x/usr/bin/netconform" |
	awk 'NR == FNR { needed[$0] = 1; next } $1 in needed && $3 ~ /^\// { print $3 }' \
		<(objdump -p "$TMP/deb-x/usr/bin/netconform" | awk '$1 == "NEEDED" { print $2 }') -)
[ "${#libs[@]}" -ge 10 ] || fail "only ${#libs[@]} libraries found that netconform needs (ldd, objdump -p)"
mapfile -t resolved < <(readlink -f "${libs[@]}")
declare -A owner	# path -> package, for each path as ldd names it and as resolved
while IFS=$'\t' read -r pkg path; do
	owner[$path]=$pkg
done < <(dpkg -S "${libs[@]}" "${resolved[@]}" 2>/dev/null |
	awk '!/^diversion / { at = index($0, ": /"); pkg = substr($0, 1, at - 1); sub(/[:,].*/, "", pkg)
		print pkg "\t" substr($0, at + 2) }')
for i in "${!libs[@]}"; do
	lib=${libs[i]}
	pkg=${owner[$lib]:-${owner[${resolved[i]}]:-}}
	[ -n "$pkg" ] || fail "no package owns $lib, which netconform needs"
	grep -qx "$pkg" <<<"$depends" || fail "netconform needs $lib of $pkg, which the package's Depends do not name: $depends"
done

mnt=$TMP/deb-mnt
mkdir -p "$mnt" "$TMP/deb-layers"
cp "$deb" "$TMP/deb-upper.deb"
# A private mount namespace whose root is the overlay (pivot_root, not
# chroot: a chrooted process may not make the user namespace the sandbox
# needs); the host's files stay reachable under /.old to copy the logs out.
unshare --mount --pid --fork --kill-child bash -c '
	set -e
	mount --make-rprivate /
	mount -t tmpfs layers "$2/deb-layers"
	mkdir -p "$2/deb-layers/upper/usr/bin" "$2/deb-layers/upper/usr/share/doc" "$2/deb-layers/work"
	for hidden in usr/bin/netconform usr/bin/netconform-musl usr/share/netconform usr/share/doc/netconform; do
		[ ! -e "/$hidden" ] || mknod "$2/deb-layers/upper/$hidden" c 0 0
	done
	mount -t overlay overlay -o "lowerdir=/,upperdir=$2/deb-layers/upper,workdir=$2/deb-layers/work" "$3"
	mkdir -p "$3/.old"
	cp "$2/deb-upper.deb" "$3/tmp/netconform.deb"
	cd "$3"
	pivot_root . .old
	cd /
	mount -t proc proc /proc
	mount --rbind /.old/dev /dev
	mount --rbind /.old/sys /sys
	PATH=/usr/sbin:/usr/bin:/sbin:/bin
	out=/.old$2
	dpkg -i /tmp/netconform.deb >"$out/deb-install.log" 2>&1
	netconform doctor >"$out/deb-doctor.log" 2>&1 || echo "doctor: exit $?" >>"$out/deb-doctor.log"
	netconform run -j 4 --filter "socket.*" --out /tmp/out >"$out/deb-run.log" 2>&1 ||
		echo "run: exit $?" >>"$out/deb-run.log"
	cp /tmp/out/results.xml "$out/deb-results.xml" 2>/dev/null || true
	dpkg --purge netconform >"$out/deb-purge.log" 2>&1
	ls /usr/bin/netconform /usr/share/netconform /usr/share/doc/netconform >"$out/deb-left.log" 2>&1 || true
' deb-test / "$TMP" "$mnt" || fail "installing in an overlay of /: $(tail -n 3 "$TMP/deb-install.log" 2>/dev/null)"
grep -q '^data  *ok   /usr/share/netconform$' "$TMP/deb-doctor.log" && grep -q '^doctor: ready$' "$TMP/deb-doctor.log" ||
	fail "doctor in the root: $(cat "$TMP/deb-doctor.log")"
grep -q '^Result: PASS' "$TMP/deb-run.log" || fail "run in the root: $(tail -n 5 "$TMP/deb-run.log")"
grep -q '<item name="expectations">/usr/share/netconform/expectations/linux.txt<' "$TMP/deb-results.xml" ||
	fail "the run in the root did not read /usr/share/netconform/expectations"
grep -q 'No such file or directory' "$TMP/deb-left.log" && ! grep -q '^/' "$TMP/deb-left.log" ||
	fail "dpkg --purge left: $(cat "$TMP/deb-left.log")"
[ "$(grep -c 'No such file' "$TMP/deb-left.log")" = 3 ] || fail "dpkg --purge left: $(cat "$TMP/deb-left.log")"
exit 0
