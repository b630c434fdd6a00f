# Installed like a tool: `make install` with PREFIX and DESTDIR puts the
# program in PREFIX/bin and what a run reads in PREFIX/share/netconform; the
# program finds it there from any directory, and after the whole prefix is
# moved; a missing scenarios directory is one line naming --scenarios and
# --expect; `make uninstall` leaves nothing behind.
. "$(dirname "$0")/lib.sh"
root=$TMP/install-root prefix=/opt/netconform
make --no-print-directory -s B="$B" install DESTDIR="$root" PREFIX="$prefix" >"$TMP/install.log" 2>&1 ||
	fail "make install: $(tail -3 "$TMP/install.log")"
for f in bin/netconform share/netconform/scenarios/loopback-only.scn share/netconform/expectations/linux.txt \
	 share/doc/netconform/README.md; do
	[ -f "$root$prefix/$f" ] || fail "make install: no $prefix/$f"
done
cp -r "$root$prefix" "$TMP/moved"	# a prefix is a prefix wherever it is
for inst in "$root$prefix" "$TMP/moved"; do
	(cd / && "$inst/bin/netconform" doctor) >"$TMP/install-doctor.txt" 2>&1
	grep -q "^data  *ok   $inst/share/netconform$" "$TMP/install-doctor.txt" ||
		fail "$inst: doctor: $(grep ^data "$TMP/install-doctor.txt")"
	(cd / && "$inst/bin/netconform" run --filter 'socket.*' --out "$TMP/install-run") \
		>"$TMP/install-run.log" 2>&1 || fail "$inst: run from /: $(tail -3 "$TMP/install-run.log")"
	grep -q "<item name=\"expectations\">$inst/share/netconform/expectations/linux.txt<" \
		"$TMP/install-run/results.xml" || fail "$inst: the run did not read the installed expectations"
done
"$TMP/moved/bin/netconform" run --scenarios "$TMP/nowhere" --filter 'connect.*' --out "$TMP/install-bad" \
	>/dev/null 2>"$TMP/install-bad.err"
[ $? -eq 2 ] && [ "$(wc -l <"$TMP/install-bad.err")" -eq 1 ] &&
	grep -q -- '--scenarios DIR and --expect FILE' "$TMP/install-bad.err" ||
	fail "a missing scenarios directory: $(cat "$TMP/install-bad.err")"
make --no-print-directory -s B="$B" uninstall DESTDIR="$root" PREFIX="$prefix" >>"$TMP/install.log" 2>&1 ||
	fail "make uninstall: $(tail -3 "$TMP/install.log")"
[ -z "$(find "$root" -type f)" ] || fail "make uninstall left: $(find "$root" -type f | head -3)"
exit 0
