/* Which accelerator runs the guest: KVM when it really runs one, TCG
 * otherwise. */
#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vm_guest.h"

const struct accel accels[2] = {
	{ "KVM", { "-accel", "kvm", "-cpu", "host" }, "2", 5, 60, 600 },
	{ "TCG", { "-accel", "tcg,thread=multi", "-cpu", "max" }, "6", 60, 120, 1200 },
};

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
bool kvm_works(void)
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
