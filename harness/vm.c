/* Another kernel in QEMU (see vm.h): find the image's version and modules,
 * pick KVM if it really runs a guest, build the initramfs, boot with the
 * host's root over 9p and no network device, relay the console, kill the VM
 * at its deadline, and turn the guest's results.xml into the host's reports. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <linux/kvm.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "error.h"
#include "harness.h"
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
static const struct accel {
	const char *name;
	const char *qemu_args[4];
	const char *deadline_scale;	/* the runner's --deadline-scale */
	unsigned alive_s;		/* until the kernel's first line */
	unsigned boot_s;		/* until the suite starts */
	unsigned total_s;		/* the whole VM, unless --vm-timeout */
} accels[] = {
	{ "KVM", { "-accel", "kvm", "-cpu", "host" }, "2", 5, 60, 600 },
	{ "TCG", { "-accel", "tcg,thread=multi", "-cpu", "max" }, "6", 60, 120, 1200 },
};

struct vm {
	const struct nc_vm_request *req;
	const struct accel *accel;
	char image[PATH_MAX];
	char version[128];
	char moddir[PATH_MAX];
	char modroot[PATH_MAX];		/* non-empty: bind moddir there in the guest */
	char vmdir[PATH_MAX];		/* build/vm (beside the binary) */
	char rundir[PATH_MAX];		/* build/vm/run.PID.XXXXXX: the writable share */
	char self[PATH_MAX];
	bool is_run;
	struct nc_report_dir out;	/* --out, locked from before the boot */
	/* what the console said */
	bool alive;			/* the kernel printed */
	double boot_s, run_s;
	char fatal[512];
	char panic[512];
	char last_line[512];
};

static int __attribute__((format(printf, 1, 2))) say_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "netconform: vm: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

/* The version string a bzImage carries: the setup header ("HdrS" at 0x202)
 * points at it (0x20e, relative to 0x200).  Returns 0, -ENOEXEC when path is
 * no bzImage, or -errno. */
static int kernel_version(const char *path, char *buf, size_t size)
{
	unsigned char header[0x210];
	char text[256];
	ssize_t got;
	off_t at;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	got = pread(fd, header, sizeof(header), 0);
	if (got != (ssize_t)sizeof(header) || memcmp(header + 0x202, "HdrS", 4) != 0) {
		close(fd);
		return got < 0 ? -errno : -ENOEXEC;
	}
	at = 0x200 + (header[0x20e] | header[0x20f] << 8);
	got = pread(fd, text, sizeof(text) - 1, at);
	close(fd);
	if (got <= 0)
		return -ENOEXEC;
	text[got] = '\0';
	text[strcspn(text, " \t\n")] = '\0';	/* "6.1.0-56-amd64 (debian-kernel@...) #1 ..." */
	if (!text[0] || strlen(text) >= size)
		return -ENOEXEC;
	strcpy(buf, text);
	return 0;
}

/* dir/name into buf (PATH_MAX); locate() keeps our directories short
 * enough that it always fits.  False when it did not. */
static bool path_in(char *buf, const char *dir, const char *name)
{
	size_t dir_len = strlen(dir), name_len = strlen(name);

	if (dir_len + 1 + name_len >= PATH_MAX)
		return false;
	memcpy(buf, dir, dir_len);
	buf[dir_len] = '/';
	memcpy(buf + dir_len + 1, name, name_len + 1);
	return true;
}

static bool find_in_path(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");

	for (const char *dir = path ? path : "/usr/bin:/bin"; *dir; ) {
		size_t len = strcspn(dir, ":");

		if (len && (size_t)snprintf(buf, size, "%.*s/%s", (int)len, dir, name) < size &&
		    access(buf, X_OK) == 0)
			return true;
		dir += len + (dir[len] == ':');
	}
	return false;
}

/* One vCPU runs "hlt" at 0x1000 in real mode: KVM works when that exits as
 * KVM_EXIT_HLT.  /dev/kvm can open and still never run a guest (nested
 * virtualisation without support): that is why the guest really runs. */
static int kvm_run_hlt(void)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = 0x1000, .rflags = 2 };
	struct kvm_run *run;
	unsigned char *mem;
	int kvm, vm, vcpu, size;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0 || ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION)
		return 1;
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	mem = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (vm < 0 || mem == MAP_FAILED)
		return 1;
	mem[0] = 0xf4;	/* hlt */
	region.guest_phys_addr = 0x1000;
	region.memory_size = 0x1000;
	region.userspace_addr = (uintptr_t)mem;
	vcpu = ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0 ? -1
		: ioctl(vm, KVM_CREATE_VCPU, 0);
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vcpu < 0 || size <= 0)
		return 1;
	run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED || ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return 1;
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0 || ioctl(vcpu, KVM_SET_REGS, &regs) < 0 ||
	    ioctl(vcpu, KVM_RUN, 0) < 0)
		return 1;
	return run->exit_reason == KVM_EXIT_HLT ? 0 : 1;
}

/* In a child with a 3 s deadline: a KVM_RUN that never returns is "no". */
static bool kvm_works(void)
{
	struct pollfd pfd = { .events = POLLIN };
	int status = 1;
	pid_t pid;

	if (access("/dev/kvm", R_OK | W_OK) < 0)
		return false;
	pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0)
		_exit(kvm_run_hlt());
	pfd.fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd.fd < 0 || poll(&pfd, 1, 3000) != 1)
		kill(pid, SIGKILL);
	if (pfd.fd >= 0)
		close(pfd.fd);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static void remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

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
		if (path_in(path, vmdir, e->d_name))
			remove_tree(path);
	}
	closedir(d);
}

/* Paths that go on QEMU's or the kernel's command line, or in the args file. */
static bool plain_path(const char *path)
{
	return path[strcspn(path, " \t\n,")] == '\0';
}

static int locate(struct vm *vm)
{
	const struct nc_vm_request *req = vm->req;
	char wanted[PATH_MAX], wanted_real[PATH_MAX], qemu[PATH_MAX];
	int err;

	if (getenv("NC_VM_GUEST"))
		return say_error("--kernel inside the VM: refusing to nest");
	if (!realpath(req->kernel, vm->image))
		return say_error("--kernel %s: %s", req->kernel, strerror(errno));
	err = kernel_version(vm->image, vm->version, sizeof(vm->version));
	if (err == -ENOEXEC)
		return say_error("--kernel %s: not a Linux kernel image (bzImage)", req->kernel);
	if (err < 0)
		return say_error("--kernel %s: %s", req->kernel, strerror(-err));

	snprintf(wanted, sizeof(wanted), "/lib/modules/%s", vm->version);
	if (!realpath(req->modules_from ? req->modules_from : wanted, vm->moddir))
		return say_error("%s: %s: the modules of kernel %s are needed "
				 "(--initrd-modules-from DIR, or make deps-vm for Debian's)",
				 req->modules_from ? req->modules_from : wanted,
				 strerror(errno), vm->version);
	/* Modules elsewhere: the guest binds them where its modprobe looks. */
	if (!realpath(wanted, wanted_real) || strcmp(wanted_real, vm->moddir) != 0) {
		if (!realpath("/lib/modules", vm->modroot))
			return say_error("--initrd-modules-from: /lib/modules is needed "
					 "as a mount point in the guest: mkdir /lib/modules");
		if (!plain_path(vm->moddir) || !plain_path(vm->modroot))
			return say_error("%s: a path with a space or comma cannot be shared", vm->moddir);
	}
	if (!find_in_path(QEMU, qemu, sizeof(qemu)))
		return say_error(QEMU " not found: make deps-vm (apt-get install qemu-system-x86)");

	if (!realpath("/proc/self/exe", vm->self))
		return say_error("/proc/self/exe: %s", strerror(errno));
	snprintf(vm->vmdir, sizeof(vm->vmdir), "%.*s/vm",
		 (int)(strrchr(vm->self, '/') - vm->self), vm->self);
	if (mkdir(vm->vmdir, 0755) < 0 && errno != EEXIST)
		return say_error("%s: %s", vm->vmdir, strerror(errno));
	if (!plain_path(vm->vmdir) || !plain_path(vm->self))
		return say_error("%s: a path with a space or comma cannot be shared", vm->vmdir);
	if (strlen(vm->vmdir) > PATH_MAX - 256)
		return say_error("%s: too long a path", vm->vmdir);
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

/* The guest's command line: argv less the VM's own options and --out, plus
 * the guest's --out and, unless given, the accelerator's --deadline-scale.
 * getopt_long parses argv again as main.c did (it validated it). */
static int write_args(struct vm *vm, int argc, char **argv)
{
	enum { OPT_DROP = 1000, OPT_SCALE };
	static const struct option ours[] = {
		{ "kernel", required_argument, NULL, OPT_DROP },
		{ "initrd-modules-from", required_argument, NULL, OPT_DROP },
		{ "vm-timeout", required_argument, NULL, OPT_DROP },
		{ "out", required_argument, NULL, OPT_DROP },
		{ "deadline-scale", required_argument, NULL, OPT_SCALE },
		/* the rest of run's options, so abbreviations resolve as in main.c */
		{ "filter", required_argument, NULL, 0 },
		{ "jobs", required_argument, NULL, 0 },
		{ "timeout", required_argument, NULL, 0 },
		{ "expect", required_argument, NULL, 0 },
		{ "no-expect", no_argument, NULL, 0 },
		{ "scenarios", required_argument, NULL, 0 },
		{ "clauses", no_argument, NULL, 0 },
		{ 0 }
	};
	char path[PATH_MAX], cwd[PATH_MAX];
	bool scaled = false;
	FILE *f;

	path_in(path, vm->rundir, "args");
	f = fopen(path, "we");
	if (!f || !getcwd(cwd, sizeof(cwd)))
		return say_error("%s: %s", path, strerror(errno));
	fprintf(f, "%s\n%s\n%s\n", cwd, vm->self, argv[1]);
	/* argv + 1: the command ("run") stands where getopt wants a program name. */
	opterr = 0;
	optind = 0;
	for (;;) {
		int first = optind ? optind : 1;
		int c = getopt_long(argc - 1, argv + 1, "-", ours, NULL);

		if (c == -1)
			break;
		scaled |= c == OPT_SCALE;
		for (int i = first; c != OPT_DROP && i < optind; i++) {
			if (strchr(argv[1 + i], '\n')) {
				fclose(f);
				return say_error("an argument with a newline cannot go to the guest");
			}
			fprintf(f, "%s\n", argv[1 + i]);
		}
	}
	for (int i = optind; i < argc - 1; i++)
		fprintf(f, "%s\n", argv[1 + i]);
	if (vm->is_run)
		fprintf(f, "--out\n%s/reports\n", vm->rundir);
	if (vm->is_run && !scaled)
		fprintf(f, "--deadline-scale\n%s\n", vm->accel->deadline_scale);
	if (fclose(f) != 0)
		return say_error("%s: %s", path, strerror(errno));
	return 0;
}

/* Kernel lines ("[    0.000000] ...") go to console.log only. */
static bool kernel_line(const char *line)
{
	return line[0] == '[';
}

static void note_line(struct vm *vm, const char *line, double started)
{
	vm->alive |= kernel_line(line);
	if (strncmp(line, SAY_STARTING, strlen(SAY_STARTING)) == 0 && vm->boot_s == 0)
		vm->boot_s = nc_now_s() - started;
	else if (strncmp(line, SAY_FATAL, strlen(SAY_FATAL)) == 0 && !vm->fatal[0])
		snprintf(vm->fatal, sizeof(vm->fatal), "%.*s", (int)sizeof(vm->fatal) - 1,
			 line + strlen(SAY_FATAL));
	else if (strstr(line, "Kernel panic") && !vm->panic[0])
		snprintf(vm->panic, sizeof(vm->panic), "%.*s", (int)sizeof(vm->panic) - 1, line);
	if (line[0])
		snprintf(vm->last_line, sizeof(vm->last_line), "%.*s",
			 (int)sizeof(vm->last_line) - 1, line);
}

/* boot(): KVM opened, but the guest never ran on it. */
#define ACCEL_DEAD 3

/* Boots the guest and relays its console (our lines to stdout, all to
 * console.log) until QEMU exits or a deadline passes.  Returns 0 when QEMU
 * exited by itself, ACCEL_DEAD when it did so, or hung, before the kernel
 * printed anything (KVM can open and still not run a guest: nested
 * virtualisation), 2 (said) otherwise. */
static int boot(struct vm *vm)
{
	char initrd[PATH_MAX], append[3 * PATH_MAX], out_share[PATH_MAX + 64];
	char log_path[PATH_MAX], qemu[PATH_MAX], line[4096], smp[16], mem[16];
	const struct accel *a = vm->accel;
	unsigned total_s = vm->req->timeout_s ? vm->req->timeout_s : a->total_s;
	unsigned boot_s = a->boot_s < total_s ? a->boot_s : total_s;
	size_t used = 0;
	sigset_t stop, old;
	int pipefd[2], sigfd, status, ret = 0;
	double started;
	FILE *log;
	pid_t pid;

	find_in_path(QEMU, qemu, sizeof(qemu));
	path_in(initrd, vm->rundir, "initramfs.cpio");
	/* earlyprintk: the first line comes at once, so a dead KVM shows at once */
	snprintf(append, sizeof(append), "console=ttyS0 earlyprintk=serial,ttyS0 panic=-1 "
		 "nc.out=%s nc.keep=%s", vm->rundir, NC_SRCDIR);
	if (vm->modroot[0])
		snprintf(append + strlen(append), sizeof(append) - strlen(append),
			 " nc.modules=%s nc.modroot=%s", vm->moddir, vm->modroot);
	snprintf(out_share, sizeof(out_share),
		 "local,path=%s,mount_tag=ncout,security_model=none", vm->rundir);
	snprintf(smp, sizeof(smp), "%d", GUEST_CPUS);
	snprintf(mem, sizeof(mem), "%d", GUEST_MEM_MB);
	char *const qemu_argv[] = {
		qemu, "-name", "netconform-vm",
		(char *)a->qemu_args[0], (char *)a->qemu_args[1],
		(char *)a->qemu_args[2], (char *)a->qemu_args[3],
		"-smp", smp, "-m", mem,
		/* no network device: nothing leaves the VM */
		"-nodefaults", "-display", "none", "-serial", "stdio", "-nic", "none",
		"-no-reboot",	/* with panic=-1: a panic ends QEMU */
		"-kernel", vm->image, "-initrd", initrd, "-append", append,
		"-virtfs",
		"local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap", "-virtfs", out_share,
		NULL
	};

	path_in(log_path, vm->rundir, "console.log");
	log = fopen(log_path, "we");
	if (!log || pipe2(pipefd, O_CLOEXEC) < 0)
		return say_error("%s: %s", log_path, strerror(errno));
	/* Ctrl-C, SIGTERM, SIGHUP: kill the VM and clean up, then exit 2. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, &old);
	sigfd = signalfd(-1, &stop, SFD_CLOEXEC);

	started = nc_now_s();
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);	/* the VM dies with us */
		sigprocmask(SIG_SETMASK, &old, NULL);
		dup2(null, STDIN_FILENO);
		dup2(pipefd[1], STDOUT_FILENO);
		dup2(pipefd[1], STDERR_FILENO);
		execv(qemu, qemu_argv);
		fprintf(stderr, "%s: %s\n", qemu, strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0) {
		fclose(log);
		close(pipefd[0]);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return say_error("fork: %s", strerror(errno));
	}
	setpgid(pid, pid);
	printf("netconform: vm: booting %s under %s (deadline %u s)\n",
	       vm->version, a->name, total_s);
	fflush(stdout);

	for (;;) {
		struct pollfd pfd[2] = { { pipefd[0], POLLIN, 0 }, { sigfd, POLLIN, 0 } };
		double elapsed = nc_now_s() - started;
		double left = (vm->boot_s ? total_s : vm->alive ? boot_s : a->alive_s) - elapsed;
		ssize_t got;

		if (left <= 0 && !vm->alive) {
			ret = ACCEL_DEAD;
			break;
		}
		if (left <= 0) {
			ret = vm->boot_s ? say_error("the guest did not finish within %u s: killed "
						     "(last console line: %s)", total_s, vm->last_line)
					 : say_error("the guest did not boot within %u s: killed "
						     "(last console line: %s)", boot_s, vm->last_line);
			break;
		}
		if (poll(pfd, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents) {
			ret = say_error("interrupted: VM killed");
			break;
		}
		if (!pfd[0].revents)
			continue;
		got = read(pipefd[0], line + used, sizeof(line) - 1 - used);
		if (got <= 0)
			break;	/* QEMU has exited */
		fwrite(line + used, 1, (size_t)got, log);
		used += (size_t)got;
		line[used] = '\0';
		for (char *nl; (nl = strchr(line, '\n')); ) {
			*nl = '\0';
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
			note_line(vm, line, started);
			/* before the suite, only ours: QEMU's errors and the
			 * kernel's panic come back in the message at the end */
			if (vm->boot_s ? !kernel_line(line) : strncmp(line, SAY, strlen(SAY)) == 0)
				printf("%s\n", line);
			used -= (size_t)(nl + 1 - line);
			memmove(line, nl + 1, used + 1);
		}
		if (used == sizeof(line) - 1)
			used = 0;	/* a line that long is noise */
	}
	kill(-pid, SIGKILL);	/* whatever is left of the VM's group */
	waitpid(pid, &status, 0);
	if (vm->boot_s)
		vm->run_s = nc_now_s() - started - vm->boot_s;
	close(pipefd[0]);
	close(sigfd);
	fclose(log);
	sigprocmask(SIG_SETMASK, &old, NULL);
	fflush(stdout);
	if (!ret && WIFEXITED(status) && WEXITSTATUS(status) == 127)
		ret = say_error("cannot run " QEMU);
	if (!ret && !vm->alive)
		ret = ACCEL_DEAD;
	return ret;
}

/* The guest's exit status, or -1 when it did not get to write one. */
static int guest_status(const struct vm *vm)
{
	char path[PATH_MAX];
	int status = -1;
	FILE *f;

	path_in(path, vm->rundir, "status");
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &status) != 1 || status < 0 || status > 255)
		status = -1;
	fclose(f);
	return status;
}

static void env_set(struct nc_run *run, const char *key, const char *value)
{
	for (size_t i = 0; i < run->n_env; i++)
		if (strcmp(run->env[i].key, key) == 0) {
			char *copy = strdup(value);

			if (copy) {
				free(run->env[i].value);
				run->env[i].value = copy;
			}
			return;
		}
	nc_kv_add(&run->env, &run->n_env, key, value);
}

/* The guest's results.xml, its environment naming both kernels and the VM,
 * written as the host's report set in req->out. */
static int publish(struct vm *vm, int argc, char **argv)
{
	struct nc_run run;
	struct utsname uts;
	char path[PATH_MAX], text[2048], err[1024];
	const char *guest_command = NULL;
	size_t used = 0;
	int werr;

	path_in(path, vm->rundir, "reports/results.xml");
	if (access(path, F_OK) < 0)
		return 2;	/* the guest said why */
	if (nc_results_read(path, &run, err, sizeof(err)) < 0)
		return say_error("%s", err);
	for (size_t i = 0; i < run.n_env; i++)
		if (strcmp(run.env[i].key, "command") == 0)
			guest_command = run.env[i].value;
	if (guest_command)
		nc_kv_add(&run.env, &run.n_env, "vm.command", guest_command);
	for (int i = 0; i < argc && used < sizeof(text) - 1; i++) {
		int n = snprintf(text + used, sizeof(text) - used, "%s%s", i ? " " : "", argv[i]);
		if (n > 0)
			used += (size_t)n;
	}
	env_set(&run, "command", text);
	snprintf(text, sizeof(text), QEMU " %s, %d vCPUs, %d MiB, no network device; "
		 "booted in %.1f s", vm->accel->name, GUEST_CPUS, GUEST_MEM_MB, vm->boot_s);
	env_set(&run, "vm", text);
	env_set(&run, "vm.image", vm->image);
	env_set(&run, "vm.modules", vm->moddir);
	uname(&uts);
	snprintf(text, sizeof(text), "%s %s %s", uts.sysname, uts.release, uts.machine);
	env_set(&run, "host.kernel", text);

	werr = nc_report_dir_publish(&vm->out, &run);
	nc_run_free(&run);
	if (werr < 0)
		return say_error("%s (the previous reports are kept)",
				 nc_error_text(werr, err, sizeof(err)));
	printf("reports: %s/junit.xml %s/index.html %s/results.xml\n",
	       vm->req->out, vm->req->out, vm->req->out);
	return 0;
}

/* Before the boot: --out is ours for the run (as main.c does for a host run). */
static int open_out(struct vm *vm)
{
	char text[1024];
	int err = nc_report_dir_open(vm->req->out, &vm->out);

	return err < 0 ? say_error("%s", nc_error_text(err, text, sizeof(text))) : 0;
}

int nc_vm_main(const struct nc_vm_request *req, int argc, char **argv)
{
	struct vm vm = { .req = req, .out = { .fd = -1 } };
	char initrd[PATH_MAX], kept_log[PATH_MAX], log_path[PATH_MAX];
	char *mkinitramfs_argv[] = { "/bin/sh", MKINITRAMFS, vm.moddir, vm.version, initrd, NULL };
	int status, guest;

	vm.is_run = strcmp(argv[1], "run") == 0;
	if (!vm.is_run && strcmp(argv[1], "doctor") != 0)
		return say_error("--kernel goes with run or doctor");
	status = locate(&vm);
	if (!status && vm.is_run)
		status = open_out(&vm);
	if (status)
		return status;
	vm.accel = kvm_works() ? &accels[0] : &accels[1];
	remove_stale_rundirs(vm.vmdir);
	snprintf(log_path, sizeof(log_path), "run.%d.XXXXXX", (int)getpid());
	path_in(vm.rundir, vm.vmdir, log_path);
	if (!mkdtemp(vm.rundir)) {
		nc_report_dir_close(&vm.out);
		return say_error("%s: %s", vm.rundir, strerror(errno));
	}

	path_in(initrd, vm.rundir, "initramfs.cpio");
	status = run_command(mkinitramfs_argv);
	if (status)
		status = say_error("cannot build the initramfs (%s)", MKINITRAMFS);
	/* The accelerator sets the guest's --deadline-scale: args per boot. */
	if (!status)
		status = write_args(&vm, argc, argv);
	if (!status)
		status = boot(&vm);
	if (status == ACCEL_DEAD && vm.accel == &accels[0]) {
		printf("netconform: vm: KVM does not run the guest (%s): TCG then\n",
		       vm.last_line[0] ? vm.last_line : "no output");
		memset(vm.last_line, 0, sizeof(vm.last_line));
		vm.accel = &accels[1];
		status = write_args(&vm, argc, argv);
		if (!status)
			status = boot(&vm);
	}
	if (status == ACCEL_DEAD)
		status = say_error("the guest printed nothing (last output: %s)",
				   vm.last_line[0] ? vm.last_line : "none");
	guest = guest_status(&vm);
	if (!status && guest < 0) {
		if (vm.fatal[0])
			status = say_error("the guest could not run the suite: %s", vm.fatal);
		else if (vm.panic[0])
			status = say_error("the guest kernel panicked: %s", vm.panic);
		else
			status = say_error("the guest stopped before the suite ended "
					   "(last console line: %s)", vm.last_line);
	}
	if (!status) {
		printf("netconform: vm: %s under %s: booted in %.1f s, ran in %.1f s, exit status %d\n",
		       vm.version, vm.accel->name, vm.boot_s, vm.run_s, guest);
		status = guest;
		if (vm.is_run) {
			int published = publish(&vm, argc, argv);

			if (published)
				status = published;
		}
	}
	/* The last console log stays, for a look after a failure. */
	path_in(log_path, vm.rundir, "console.log");
	path_in(kept_log, vm.vmdir, "console.log");
	if (rename(log_path, kept_log) == 0 && status == 2)
		fprintf(stderr, "netconform: vm: the guest's console: %s\n", kept_log);
	remove_tree(vm.rundir);
	nc_report_dir_close(&vm.out);
	return status;
}
