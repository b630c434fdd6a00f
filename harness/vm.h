/* Another kernel: `netconform run --kernel IMAGE` (or `doctor --kernel
 * IMAGE`) boots IMAGE in QEMU (KVM when it works, TCG otherwise), with the
 * host's root shared read-only over virtio-9p (or the image's own root, when
 * IMAGE is ROOT/boot/vmlinuz-* of a root file system in which the suite is
 * built at the same path), runs netconform there with the same options, and
 * brings the reports back.  The
 * guest side is harness/vm/init in an initramfs harness/vm/mkinitramfs.sh
 * builds; everything the run makes stays under build/vm/. */
#ifndef NC_VM_H
#define NC_VM_H

struct nc_vm_request {
	const char *kernel;		/* the bzImage to boot */
	const char *modules_from;	/* its modules dir, or NULL: /lib/modules/VERSION */
	const char *platform;		/* run --platform NAME, or NULL */
	const char *out;		/* run: where the reports go on the host */
	unsigned timeout_s;		/* the whole VM; 0: by accelerator */
};

/* argv is the command line as given ("run --kernel IMAGE --filter ...");
 * the guest runs it less the options above.  Returns the exit status: the
 * guest's, or 2 when the VM could not run it (said on stderr). */
int nc_vm_main(const struct nc_vm_request *req, int argc, char **argv);

#endif
