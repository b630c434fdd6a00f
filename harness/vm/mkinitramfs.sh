#!/bin/sh
# mkinitramfs.sh MODDIR VERSION OUT: the guest's initramfs, an uncompressed
# cpio at OUT.  It holds busybox-static, the modules that mount the host's
# root over virtio-9p (in load order, as modprobe --show-depends names them
# from MODDIR, the guest kernel's modules), and harness/vm/init as /init.
# Everything else (sch_netem, veth, nf_tables...) the guest loads from MODDIR
# itself once the 9p root is mounted.  Run by `netconform run --kernel`.
# Tests swap parts: NC_VM_BUSYBOX for busybox, NC_VM_INIT for the init.
set -eu
moddir=$1 version=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
busybox=${NC_VM_BUSYBOX:-/bin/busybox}
boot_modules="virtio_pci 9pnet_virtio 9p"

die() { echo "mkinitramfs: $*" >&2; exit 2; }
[ -f "$moddir/modules.dep" ] ||
	die "$moddir/modules.dep: no modules of kernel $version there (--initrd-modules-from)"
[ -x "$busybox" ] && LC_ALL=C ldd "$busybox" 2>&1 | grep -Eq 'not a dynamic|statically linked' ||
	die "$busybox: no static busybox (apt-get install busybox-static)"
command -v modprobe >/dev/null || die "modprobe not found (apt-get install kmod)"
command -v cpio >/dev/null || die "cpio not found (apt-get install cpio)"

stage=$(mktemp -d "$out.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
# modprobe -d wants BASE/lib/modules/VERSION: point one at MODDIR.
mkdir -p "$stage/base/lib/modules" "$stage/root/bin" "$stage/root/modules" \
	 "$stage/root/dev" "$stage/root/proc" "$stage/root/sys" "$stage/root/newroot"
ln -s "$(cd "$moddir" && pwd)" "$stage/base/lib/modules/$version"
cp "$busybox" "$stage/root/bin/busybox"
cp "${NC_VM_INIT:-$here/init}" "$stage/root/init"
chmod 755 "$stage/root/init" "$stage/root/bin/busybox"

# "insmod PATH" lines in load order; "builtin NAME" needs nothing.  The
# same dependency (virtio_ring...) comes once, at its first place.
modprobe -d "$stage/base" -S "$version" --show-depends -a $boot_modules >"$stage/deps" ||
	die "modprobe --show-depends -a $boot_modules failed for $version"
: >"$stage/root/modules/order"
while read -r verb path _; do
	[ "$verb" = insmod ] || continue
	name=$(basename "$path")
	name=${name%.xz} name=${name%.zst} name=${name%.gz}
	grep -qx "$name" "$stage/root/modules/order" && continue
	# busybox insmod takes plain .ko: unpack compressed modules here.
	case "$path" in
	*.xz) xz -dc "$path" >"$stage/root/modules/$name" ;;
	*.zst) zstd -qdc "$path" >"$stage/root/modules/$name" ;;
	*.gz) gzip -dc "$path" >"$stage/root/modules/$name" ;;
	*) cp "$path" "$stage/root/modules/$name" ;;
	esac
	echo "$name" >>"$stage/root/modules/order"
done <"$stage/deps"

(cd "$stage/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
