/* What the parts of another-kernel runs share (see vm.h): vm.c finds the
 * kernel, its modules and its root and drives the run; vm_kvm.c picks the
 * accelerator; vm_boot.c boots and watches the console; vm_publish.c turns
 * the guest's results into the host's reports. */
#ifndef NC_VM_GUEST_H
#define NC_VM_GUEST_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "publish.h"
#include "vm.h"

#define QEMU		"qemu-system-x86_64"
#define MKINITRAMFS	NC_SRCDIR "/harness/vm/mkinitramfs.sh"
#define GUEST_CPUS	2
#define GUEST_MEM_MB	1536
/* The init's console lines (harness/vm/init). */
#define SAY		"netconform-vm: "
#define SAY_STARTING	SAY "suite starting"
#define SAY_FATAL	SAY "FATAL: "

/* How an accelerator stretches time: deadlines in the guest, and ours. */
struct accel {
	const char *name;
	const char *qemu_args[4];
	const char *deadline_scale;	/* the runner's --deadline-scale */
	unsigned alive_s;		/* until the kernel's first line */
	unsigned boot_s;		/* until the suite starts */
	unsigned total_s;		/* the whole VM, unless --vm-timeout */
};

struct vm {
	const struct nc_vm_request *req;
	const struct accel *accel;
	char image[PATH_MAX];
	char boot_image[PATH_MAX];	/* what QEMU boots: image unpacked (vm_kernel.h) or image */
	bool unpacked;
	char version[128];
	char moddir[PATH_MAX];
	bool modules_apart;		/* moddir is not /lib/modules/VERSION: the guest's
					 * modprobe is pointed at it (harness/vm/init) */
	char root[PATH_MAX];		/* the guest's root: "/", or the kernel's own */
	char root_out[PATH_MAX];	/* non-empty: rundir's mount point made in root */
	char vmdir[PATH_MAX];		/* build/vm (beside the binary) */
	char rundir[PATH_MAX];		/* build/vm/run.PID.XXXXXX: the writable share */
	char self[PATH_MAX];
	bool is_run;
	struct nc_report_dir out;	/* --out, locked from before the boot */
	unsigned boots;			/* tries so far, of this run */
	unsigned boot_number;		/* boots in all: nc.boot= on the kernel command line */
	unsigned crashed_boots;		/* boots that crashed and were tried again */
	char run_panic[512];		/* a panic that ended an earlier run, kept */
	/* what the console said */
	bool alive;			/* the kernel printed */
	double boot_s, run_s;
	char fatal[512];
	char panic[512];
	char last_line[512];
	bool interrupted;		/* by a signal: no second try */
};

/* vm_kvm.c: KVM first, then TCG. */
enum { ACCEL_KVM, ACCEL_TCG };
extern const struct accel accels[2];

/* vm_error.c: "netconform: vm: ..." on stderr; returns 2, the exit status. */
int nc_vm_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when KVM really runs a guest here. */
bool kvm_works(void);

/* boot(): KVM opened, but the guest never ran on it. */
#define ACCEL_DEAD 3
int boot(struct vm *vm);

/* The guest's exit status, or -1 when it did not get to write one. */
int guest_status(const struct vm *vm);
int publish(struct vm *vm, int argc, char **argv);

#endif
