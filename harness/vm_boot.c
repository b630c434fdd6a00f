/* One boot of the guest: QEMU with the kernel, the initramfs, the root and
 * the run directory over 9p and no network device; the console relayed and
 * read (our lines, the kernel's panic) until QEMU exits or a deadline. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "paths.h"
#include "vm_guest.h"

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


/* Boots the guest and relays its console (our lines to stdout, all to
 * console.log) until QEMU exits or a deadline passes.  Returns 0 when QEMU
 * exited by itself, ACCEL_DEAD when it did so, or hung, before the kernel
 * printed anything (KVM can open and still not run a guest: nested
 * virtualisation), 2 (said) otherwise. */
int boot(struct vm *vm)
{
	char initrd[PATH_MAX], append[3 * PATH_MAX], out_share[PATH_MAX + 64];
	char root_share[PATH_MAX + 96];
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

	nc_find_in_path(QEMU, qemu, sizeof(qemu));
	nc_path_in(initrd, vm->rundir, "initramfs.cpio");
	/* earlyprintk: the first line comes at once, so a dead KVM shows at once */
	snprintf(append, sizeof(append), "console=ttyS0 earlyprintk=serial,ttyS0 panic=-1 "
		 "nc.out=%s nc.keep=%s nc.boot=%u", vm->rundir, NC_SRCDIR, ++vm->boot_number);
	if (vm->modules_apart)
		snprintf(append + strlen(append), sizeof(append) - strlen(append),
			 " nc.modules=%s", vm->moddir);
	snprintf(root_share, sizeof(root_share), "local,path=%s,mount_tag=hostroot,"
		 "security_model=none,readonly=on,multidevs=remap", vm->root);
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
		"-kernel", vm->boot_image, "-initrd", initrd, "-append", append,
		"-virtfs",
		root_share, "-virtfs", out_share,
		NULL
	};

	nc_path_in(log_path, vm->rundir, "console.log");
	log = fopen(log_path, "we");
	if (!log || pipe2(pipefd, O_CLOEXEC) < 0)
		return nc_vm_error("%s: %s", log_path, strerror(errno));
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
		return nc_vm_error("fork: %s", strerror(errno));
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
			ret = vm->boot_s
				? nc_vm_error("the guest did not finish within %u s: killed (last "
					      "console line: %s)", total_s, vm->last_line)
				: nc_vm_error("the guest did not boot within %u s: killed (last "
					      "console line: %s)", boot_s, vm->last_line);
			break;
		}
		if (poll(pfd, 2, (int)(left * 1000) + 1) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents) {
			vm->interrupted = true;
			ret = nc_vm_error("interrupted: VM killed");
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
		ret = nc_vm_error("cannot run " QEMU);
	if (!ret && !vm->alive)
		ret = ACCEL_DEAD;
	return ret;
}
