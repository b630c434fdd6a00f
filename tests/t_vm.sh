# Another kernel (harness/vm.c): bad input fails at once with exit status 2;
# a run of the default second kernel (Debian's 6.1, unpacked under
# build/platforms/ by harness/platform.sh, not installed) runs a
# netem check and a REJECT check whose verdicts come back, with both kernels
# in the environment block, while the host kernel skips the netem check
# (the run's first boot crashes and its second panics: both done again); a
# guest past its deadline and a guest that panics are killed, exit status 2,
# and a kernel that crashes at every boot is given up after three,
# and nothing is left behind (no QEMU, no run directory).  Every boot runs
# where the host root has no /lib/modules (a fresh machine has none).
. "$(dirname "$0")/lib.sh"
# The default second kernel: Debian's, unpacked under build/platforms/.
K=${VM_KERNEL:-$(B=$B bash harness/platform.sh debian-kernel)} || fail "no second kernel"
[ -e "$K" ] || fail "$K: no second kernel (harness/platform.sh debian-kernel)"
netem='connect.blocks_until_established.*'
reject='connect.refused_reject.*'

# expect_exit STATUS MESSAGE COMMAND...: the status, and MESSAGE on stderr.
expect_exit() {
	local want=$1 message=$2 got
	shift 2
	"$@" >"$TMP/vm.out" 2>"$TMP/vm.err"
	got=$?
	[ "$got" = "$want" ] || fail "$*: exit status $got, expected $want ($(tail -2 "$TMP/vm.err"))"
	grep -qF -- "$message" "$TMP/vm.err" ||
		fail "$*: no '$message' in: $(tail -3 "$TMP/vm.err")"
}
# Each VM run: no QEMU of ours and no run directory survive it.
nothing_left() {
	local qemus
	qemus=$(pgrep -f "nc.out=$PWD/$B/vm/run.$1." || true)
	[ -z "$qemus" ] || fail "QEMU left running: $qemus"
	! ls -d "$B"/vm/run."$1".* 2>/dev/null || fail "run directory left behind"
}
vm_run() {	# vm_run STATUS MESSAGE ARGS...: a VM run in the background, awaited
	local want=$1 message=$2
	shift 2
	# The VM path needs nothing on the host root: no /lib/modules either.
	(without_lib_modules "$B/netconform" "$@") >"$TMP/vm.out" 2>"$TMP/vm.err" &
	local pid=$! got
	wait $pid
	got=$?
	nothing_left $pid
	[ "$got" = "$want" ] || fail "$*: exit status $got, expected $want ($(tail -3 "$TMP/vm.err"; tail -3 "$TMP/vm.out"))"
	grep -qF -- "$message" "$TMP/vm.out" "$TMP/vm.err" ||
		fail "$*: no '$message' in: $(tail -3 "$TMP/vm.err")"
}

# without_lib_modules COMMAND...: COMMAND where /lib/modules does not exist,
# as on a fresh Debian machine with no kernel package installed: the
# modules' parent is covered by an overlay whose whiteout hides them, in a
# mount namespace of its own, so the host's view is untouched.  exec keeps
# the pid (vm_run looks for what that pid left behind).
without_lib_modules() {
	[ -e /lib/modules ] || exec "$@"
	local parent
	parent=$(dirname "$(readlink -f /lib/modules)")
	mkdir -p "$TMP/hide/upper" "$TMP/hide/work"
	[ -e "$TMP/hide/upper/modules" ] || mknod "$TMP/hide/upper/modules" c 0 0
	exec unshare -m --propagation private sh -c \
		'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$1" &&
		 [ ! -e /lib/modules ] && shift 2 && exec "$@"' sh "$parent" "$TMP/hide" "$@"
}

expect_exit 2 "--kernel /nonexistent: No such file" "$B/netconform" run --kernel /nonexistent
expect_exit 2 "not a Linux kernel image" "$B/netconform" run --kernel Makefile
expect_exit 2 "modules.dep: no modules of kernel" "$B/netconform" run --kernel "$K" --initrd-modules-from "$TMP"
expect_exit 2 "qemu-system-x86_64 not found" env PATH=/nonexistent "$B/netconform" run --kernel "$K"
expect_exit 2 "option '--kernel' is not one of list's" "$B/netconform" list --kernel "$K"

# The host kernel has no sch_netem: skip, with the reason.
"$B/netconform" run --filter "$netem" --out "$TMP/vm-host" >/dev/null 2>&1
expect_verdict "$TMP/vm-host/results.xml" connect.blocks_until_established.ipv4 skip
message_of "$TMP/vm-host/results.xml" connect.blocks_until_established.ipv4 | grep -q sch_netem ||
	fail "the host's netem skip does not say sch_netem"

started=$SECONDS
# Its first boot crashes before the init says a word (the init crashes the
# kernel through sysrq when nc.boot=1), as a TCG kernel does about one boot
# in 30: it is booted again.  That boot's kernel panics once the suite has
# started (once: a mark in the run directory), as a TCG guest does some
# runs in a hundred: the run is done again, the panic said.  Three boots.
sed -e '/fatal "cannot mount \/proc, \/sys, \/dev"/a case " $(cat /proc/cmdline) " in *" nc.boot=1 "*) echo c >/proc/sysrq-trigger ;; esac' \
    -e '/say "suite starting/a [ -e "$out/panicked-once" ] || { : >"$out/panicked-once"; echo c >/proc/sysrq-trigger; }' \
	harness/vm/init >"$TMP/crashing-init"
grep -c sysrq-trigger "$TMP/crashing-init" | grep -qx 2 || fail "the crashing init was not made"
rm -f "$B/vm/console.panic.log"
NC_VM_INIT=$TMP/crashing-init vm_run 0 "reports: $TMP/vm-guest/junit.xml" \
	run --kernel "$K" --filter "$netem" --filter "$reject" --out "$TMP/vm-guest"
grep -q "crashed at boot (.*sysrq.*): booting again (2 of 3)" "$TMP/vm.out" ||
	fail "a crashed boot was not booted again: $(grep 'netconform: vm' "$TMP/vm.out")"
grep -q "kernel panicked in the run .*running again (2 of 2)" "$TMP/vm.out" ||
	fail "a panic in the run was not run again: $(grep 'netconform: vm' "$TMP/vm.out")"
grep -q "sysrq" "$B/vm/console.panic.log" || fail "the panicked run's console was not kept"
r=$TMP/vm-guest/results.xml
for id in connect.blocks_until_established.ipv4 connect.blocks_until_established.ipv6 \
	  connect.refused_reject.ipv4 connect.refused_reject.ipv6; do
	expect_verdict "$r" "$id" pass
done
env_of() { xmllint --xpath "string(//environment/item[@name='$2'])" "$1"; }
[ -n "$(env_of "$r" kernel)" ] || fail "no guest kernel in the environment"
[ "$(env_of "$r" host.kernel)" = "Linux $(uname -r) $(uname -m)" ] ||
	fail "host.kernel: '$(env_of "$r" host.kernel)'"
[ "$(env_of "$r" kernel)" != "$(env_of "$r" host.kernel)" ] || fail "the guest ran the host's kernel"
[ "$(env_of "$r" netem)" = available ] || fail "netem in the guest: $(env_of "$r" netem)"
# The bzImage's payload unpacked once on the host, booted by its PVH entry:
# no xz under TCG (6.5 s a boot before, 4 after).
env_of "$r" vm.boot | grep -q 'PVH entry point' || fail "vm.boot: '$(env_of "$r" vm.boot)'"
env_of "$r" vm.panic | grep -q 'sysrq triggered crash' || fail "vm.panic: '$(env_of "$r" vm.panic)'"
env_of "$r" vm | grep -q 'after a crashed boot' || fail "vm: '$(env_of "$r" vm)' does not say a boot crashed"
ls "$B"/vm/kernels/vmlinux-* >/dev/null 2>&1 || fail "no unpacked kernel in $B/vm/kernels"
xmllint --noout --schema tests/junit.xsd "$TMP/vm-guest/junit.xml" || fail "junit.xml is not valid"
[ -s "$TMP/vm-guest/index.html" ] || fail "no index.html"
echo "guest run: $((SECONDS - started)) s ($(grep -o 'booted in [0-9.]* s' "$TMP/vm.out"))"

# Killed at its deadline: four 3-s ETIMEDOUT checks one after the other,
# after the boot, cannot end within the shortest VM deadline (10 s).
vm_run 2 "killed" run --kernel "$K" --filter 'connect.timeout.*' --jobs 1 \
	--vm-timeout 10 --out "$TMP/vm-late"
# An init that cannot run: the kernel panics, QEMU ends (panic=-1, -no-reboot).
NC_VM_BUSYBOX=/sbin/ldconfig vm_run 2 "the guest kernel panicked" \
	doctor --kernel "$K"
grep -q "booting again" "$TMP/vm.out" && fail "an init that cannot run was booted again"
# A kernel that crashes at every boot is booted three times in all, then
# given up: a stand-in QEMU, first on PATH, prints a kernel's line and its
# panic (no guest: three real boots were ~11 s of CPU).
mkdir -p "$TMP/crashing-qemu"
printf '#!/bin/sh
echo "[    0.000000] Linux version 0.0 (a stand-in)"
echo "[    0.100000] Kernel panic - not syncing: sysrq triggered crash"
' \
	>"$TMP/crashing-qemu/qemu-system-x86_64"
chmod +x "$TMP/crashing-qemu/qemu-system-x86_64"
PATH="$TMP/crashing-qemu:$PATH" vm_run 2 "the guest kernel panicked" doctor --kernel "$K"
[ "$(grep -c "crashed at boot .*booting again" "$TMP/vm.out")" = 2 ] &&
	grep -q "booting again (3 of 3)" "$TMP/vm.out" ||
	fail "a kernel crashing at every boot was not booted three times in all: $(grep 'netconform: vm' "$TMP/vm.out")"
exit 0
