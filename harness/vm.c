/* Another kernel in QEMU (see vm.h): find the image's version, modules and
 * root, pick KVM if it really runs a guest, build the initramfs, boot (again
 * when the kernel crashed at boot), and turn the guest's results.xml into
 * the host's reports. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "error.h"
#include "paths.h"
#include "vm_guest.h"
#include "vm_kernel.h"

/* Run directories of runs that were killed (their pid is gone). */
static void remove_stale_rundirs(const char *vmdir)
{
	DIR *d = opendir(vmdir);
	struct dirent *e;
	char path[PATH_MAX];

	if (!d)
		return;
	while ((e = readdir(d))) {
		int pid;

		if (sscanf(e->d_name, "run.%d.", &pid) != 1 || pid <= 0 ||
		    (kill(pid, 0) == 0 || errno != ESRCH))
			continue;
		if (nc_path_in(path, vmdir, e->d_name))
			nc_remove_tree(path);
	}
	closedir(d);
}

/* Paths that go on QEMU's or the kernel's command line, or in the args file. */
static bool plain_path(const char *path)
{
	return path[strcspn(path, " \t\n,")] == '\0';
}

/* A kernel image unpacked from a package sits at BASE/boot/vmlinuz-VERSION,
 * its modules at BASE/lib/modules/VERSION: BASE, or "" for an image
 * elsewhere (or in the host's own /boot). */
static void image_base(const char *image, char *base, size_t size)
{
	const char *slash = strrchr(image, '/');
	size_t len = (size_t)(slash - image);

	base[0] = '\0';
	if (len >= 5 && len < size && memcmp(slash - 5, "/boot", 5) == 0 && len > 5)
		snprintf(base, size, "%.*s", (int)(len - 5), image);
}

/* The kernel's modules: --initrd-modules-from, the ones unpacked beside the
 * image, or the host's /lib/modules/VERSION. */
static int find_modules(struct vm *vm, const char *base)
{
	const char *given = vm->req->modules_from;
	char wanted[PATH_MAX], beside[PATH_MAX], wanted_real[PATH_MAX];

	snprintf(wanted, sizeof(wanted), "/lib/modules/%s", vm->version);
	if (!given && base[0] && nc_path_in(beside, base, wanted + 1) &&
	    access(beside, F_OK) == 0)
		given = beside;
	if (!realpath(given ? given : wanted, vm->moddir))
		return nc_vm_error("%s: %s: the modules of kernel %s are needed "
				   "(--initrd-modules-from DIR, or make platforms for Debian's)",
				   given ? given : wanted, strerror(errno), vm->version);
	/* A root of its own has them where its modprobe looks. */
	if (strcmp(vm->root, "/") != 0)
		return 0;
	/* Modules elsewhere: the guest's modprobe is told where (modprobe -d
	 * over a tmpfs of its own), so the host root needs no /lib/modules. */
	if (!realpath(wanted, wanted_real) || strcmp(wanted_real, vm->moddir) != 0) {
		vm->modules_apart = true;
		if (!plain_path(vm->moddir))
			return nc_vm_error("%s: a path with a space or comma cannot be shared",
					   vm->moddir);
	}
	return 0;
}

/* An image inside a root file system (BASE/etc/os-release) boots with that
 * root, which must hold this suite built at the same path as here (make
 * platforms does that); any other image boots with the host's root. */
static int find_root(struct vm *vm, const char *base)
{
	char path[PATH_MAX], cwd[PATH_MAX];
	struct stat st;

	strcpy(vm->root, "/");
	if (!base[0] || !nc_path_in(path, base, "etc/os-release") || access(path, F_OK) < 0)
		return 0;
	if (!plain_path(base))
		return nc_vm_error("%s: a path with a space or comma cannot be shared", base);
	snprintf(vm->root, sizeof(vm->root), "%s", base);
	if (!nc_path_in(path, base, vm->self + 1) || access(path, X_OK) < 0)
		return nc_vm_error("%s: the root of kernel %s has no netconform at %s "
				   "(make platforms builds the suite inside)", base, vm->version,
				   vm->self);
	if (!getcwd(cwd, sizeof(cwd)) || !nc_path_in(path, base, cwd + 1) ||
	    stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return nc_vm_error("%s: the root of kernel %s has no %s: run from the checkout",
				   base, vm->version, cwd);
	return 0;
}

static int locate(struct vm *vm)
{
	const struct nc_vm_request *req = vm->req;
	char qemu[PATH_MAX], base[PATH_MAX], kernels[PATH_MAX + 16];
	int err;

	if (getenv("NC_VM_GUEST"))
		return nc_vm_error("--kernel inside the VM: refusing to nest");
	if (!realpath(req->kernel, vm->image))
		return nc_vm_error("--kernel %s: %s", req->kernel, strerror(errno));
	err = nc_vm_kernel_version(vm->image, vm->version, sizeof(vm->version));
	if (err == -ENOEXEC)
		return nc_vm_error("--kernel %s: not a Linux kernel image (bzImage)", req->kernel);
	if (err < 0)
		return nc_vm_error("--kernel %s: %s", req->kernel, strerror(-err));
	if (!realpath("/proc/self/exe", vm->self))
		return nc_vm_error("/proc/self/exe: %s", strerror(errno));

	image_base(vm->image, base, sizeof(base));
	err = find_root(vm, base);
	if (!err)
		err = find_modules(vm, base);
	if (err)
		return err;
	if (!nc_find_in_path(QEMU, qemu, sizeof(qemu)))
		return nc_vm_error(QEMU " not found: make deps-vm (apt-get install qemu-system-x86)");

	snprintf(vm->vmdir, sizeof(vm->vmdir), "%.*s/vm",
		 (int)(strrchr(vm->self, '/') - vm->self), vm->self);
	if (mkdir(vm->vmdir, 0755) < 0 && errno != EEXIST)
		return nc_vm_error("%s: %s", vm->vmdir, strerror(errno));
	if (!plain_path(vm->vmdir) || !plain_path(vm->self))
		return nc_vm_error("%s: a path with a space or comma cannot be shared", vm->vmdir);
	if (strlen(vm->vmdir) > PATH_MAX - 256)
		return nc_vm_error("%s: too long a path", vm->vmdir);
	snprintf(kernels, sizeof(kernels), "%s/kernels", vm->vmdir);
	vm->unpacked = nc_vm_kernel_unpacked(vm->image, kernels, vm->boot_image,
					     sizeof(vm->boot_image));
	return 0;
}

/* A root of the kernel's own is shared read-only: the run directory's mount
 * point is made in it beforehand (and removed after). */
static int make_root_out(struct vm *vm)
{
	char dir[PATH_MAX];

	if (strcmp(vm->root, "/") == 0)
		return 0;
	for (char *slash = vm->rundir; (slash = strchr(slash + 1, '/')); ) {
		*slash = '\0';
		if (nc_path_in(dir, vm->root, vm->rundir + 1) && mkdir(dir, 0755) < 0 &&
		    errno != EEXIST) {
			*slash = '/';
			return nc_vm_error("%s: %s", dir, strerror(errno));
		}
		*slash = '/';
	}
	if (!nc_path_in(vm->root_out, vm->root, vm->rundir + 1) || mkdir(vm->root_out, 0755) < 0)
		return nc_vm_error("%s: %s", vm->root_out, strerror(errno));
	return 0;
}

/* fork+exec, waiting; the child's stdout goes to stderr. */
static int run_command(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

struct args_file {
	FILE *f;
	bool scaled;			/* --deadline-scale given */
};

static int write_arg(void *ctx, const char *option, const char *arg)
{
	struct args_file *args = ctx;

	if (strchr(arg, '\n'))
		return nc_vm_error("an argument with a newline cannot go to the guest");
	args->scaled |= option && strcmp(option, "deadline-scale") == 0;
	fprintf(args->f, "%s\n", arg);
	return 0;
}

/* The guest's command line: argv less the host's own options (cli.c's
 * table says which), plus the guest's --out and, unless given, the
 * accelerator's --deadline-scale. */
static int write_args(struct vm *vm, int argc, char **argv)
{
	char path[PATH_MAX], cwd[PATH_MAX];
	struct args_file args = { 0 };
	int err;

	nc_path_in(path, vm->rundir, "args");
	args.f = fopen(path, "we");
	if (!args.f || !getcwd(cwd, sizeof(cwd)))
		return nc_vm_error("%s: %s", path, strerror(errno));
	fprintf(args.f, "%s\n%s\n%s\n", cwd, vm->self, argv[1]);
	err = nc_cli_guest_args(vm->is_run ? NC_CMD_RUN : NC_CMD_DOCTOR, argc, argv, write_arg,
				&args);
	if (err) {
		fclose(args.f);
		return err;
	}
	if (vm->is_run)
		fprintf(args.f, "--out\n%s/reports\n", vm->rundir);
	if (vm->is_run && !args.scaled)
		fprintf(args.f, "--deadline-scale\n%s\n", vm->accel->deadline_scale);
	if (fclose(args.f) != 0)
		return nc_vm_error("%s: %s", path, strerror(errno));
	return 0;
}


/* Before the boot: --out is ours for the run (as main.c does for a host run). */
static int open_out(struct vm *vm)
{
	char text[1024];
	int err = nc_report_dir_open(vm->req->out, &vm->out);

	return err < 0 ? nc_vm_error("%s", nc_error_text(err, text, sizeof(text))) : 0;
}

static void forget_console(struct vm *vm)
{
	vm->alive = false;
	vm->boot_s = 0;
	vm->fatal[0] = vm->panic[0] = vm->last_line[0] = '\0';
}

/* A boot that ended before the suite started, without a word from our init
 * and not because the init cannot run: the kernel itself crashed or hung
 * (under TCG about one boot in 30 with two vCPUs). */
static bool crashed_at_boot(const struct vm *vm, int status)
{
	return (status == 0 || status == 2) && !vm->interrupted && vm->alive &&
	       vm->boot_s == 0 && !vm->fatal[0] && !strstr(vm->panic, "init") &&
	       guest_status(vm) < 0;
}

#define BOOT_TRIES 3

/* The guest's kernel panicked after the suite had started (under TCG a
 * "Fatal exception in interrupt" some runs in a hundred, never again in
 * the same place). */
static bool panicked_in_run(const struct vm *vm, int status)
{
	return status == 0 && !vm->interrupted && vm->boot_s > 0 && vm->panic[0] &&
	       !vm->fatal[0] && guest_status(vm) < 0;
}

/* Boots until the suite starts and runs: a KVM that does not run a guest
 * falls back to TCG, a boot that crashed is tried again (BOOT_TRIES in
 * all), and a run whose kernel panicked is done once more, its console
 * kept beside (console.panic.log) and the panic said in the report.  The
 * accelerator sets the guest's --deadline-scale: args per boot. */
static int boot_guest(struct vm *vm, int argc, char **argv)
{
	char console[PATH_MAX], kept[PATH_MAX];

	for (;;) {
		int status = write_args(vm, argc, argv);

		if (!status)
			status = boot(vm);
		if (status == ACCEL_DEAD && vm->accel == &accels[ACCEL_KVM]) {
			printf("netconform: vm: KVM does not run the guest (%s): TCG then\n",
			       vm->last_line[0] ? vm->last_line : "no output");
			vm->accel = &accels[ACCEL_TCG];
		} else if (!vm->run_panic[0] && panicked_in_run(vm, status)) {
			nc_path_in(console, vm->rundir, "console.log");
			nc_path_in(kept, vm->vmdir, "console.panic.log");
			rename(console, kept);
			snprintf(vm->run_panic, sizeof(vm->run_panic), "%s", vm->panic);
			vm->boots = 0;	/* BOOT_TRIES for the second run's boot too */
			printf("netconform: vm: the guest kernel panicked in the run (%s; its "
			       "console: %s): running again (2 of 2)\n", vm->panic, kept);
		} else if (++vm->boots >= BOOT_TRIES || !crashed_at_boot(vm, status)) {
			return status;
		} else {
			vm->crashed_boots++;
			printf("netconform: vm: the guest crashed at boot (%s): booting again (%u of %d)\n",
			       vm->panic[0] ? vm->panic : vm->last_line, vm->boots + 1, BOOT_TRIES);
		}
		fflush(stdout);
		forget_console(vm);
	}
}

int nc_vm_main(const struct nc_vm_request *req, int argc, char **argv)
{
	struct vm vm = { .req = req, .out = { .fd = -1 } };
	char initrd[PATH_MAX], kept_log[PATH_MAX], log_path[PATH_MAX];
	char *mkinitramfs_argv[] = { "/bin/sh", MKINITRAMFS, vm.moddir, vm.version, initrd, NULL };
	int status, guest;

	vm.is_run = strcmp(argv[1], "run") == 0;
	if (!vm.is_run && strcmp(argv[1], "doctor") != 0)
		return nc_vm_error("--kernel goes with run or doctor");
	status = locate(&vm);
	if (!status && vm.is_run)
		status = open_out(&vm);
	if (status)
		return status;
	vm.accel = kvm_works() ? &accels[ACCEL_KVM] : &accels[ACCEL_TCG];
	remove_stale_rundirs(vm.vmdir);
	snprintf(log_path, sizeof(log_path), "run.%d.XXXXXX", (int)getpid());
	nc_path_in(vm.rundir, vm.vmdir, log_path);
	if (!mkdtemp(vm.rundir)) {
		nc_report_dir_close(&vm.out);
		return nc_vm_error("%s: %s", vm.rundir, strerror(errno));
	}

	nc_path_in(initrd, vm.rundir, "initramfs.cpio");
	status = run_command(mkinitramfs_argv);
	if (status)
		status = nc_vm_error("cannot build the initramfs (%s)", MKINITRAMFS);
	if (!status)
		status = make_root_out(&vm);
	if (!status)
		status = boot_guest(&vm, argc, argv);
	if (status == ACCEL_DEAD)
		status = nc_vm_error("the guest printed nothing (last output: %s)",
				     vm.last_line[0] ? vm.last_line : "none");
	guest = guest_status(&vm);
	if (!status && guest < 0) {
		if (vm.fatal[0])
			status = nc_vm_error("the guest could not run the suite: %s", vm.fatal);
		else if (vm.panic[0])
			status = nc_vm_error("the guest kernel panicked: %s", vm.panic);
		else
			status = nc_vm_error("the guest stopped before the suite ended "
					     "(last console line: %s)", vm.last_line);
	}
	if (!status) {
		printf("netconform: vm: %s under %s: booted in %.1f s%s, ran in %.1f s, exit status %d\n",
		       vm.version, vm.accel->name, vm.boot_s,
		       vm.unpacked ? " (unpacked, PVH)" : "", vm.run_s, guest);
		status = guest;
		if (vm.is_run) {
			int published = publish(&vm, argc, argv);

			if (published)
				status = published;
		}
	}
	/* The last console log stays, for a look after a failure. */
	nc_path_in(log_path, vm.rundir, "console.log");
	nc_path_in(kept_log, vm.vmdir, "console.log");
	if (rename(log_path, kept_log) == 0 && status == 2)
		fprintf(stderr, "netconform: vm: the guest's console: %s\n", kept_log);
	nc_remove_tree(vm.rundir);
	if (vm.root_out[0])
		rmdir(vm.root_out);
	nc_report_dir_close(&vm.out);
	return status;
}
