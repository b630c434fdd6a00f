/* The guest's results.xml, with both kernels and the VM in its
 * environment, written as the host's reports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "error.h"
#include "paths.h"
#include "results.h"
#include "vm_guest.h"

int guest_status(const struct vm *vm)
{
	char path[PATH_MAX];
	int status = -1;
	FILE *f;

	nc_path_in(path, vm->rundir, "status");
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &status) != 1 || status < 0 || status > 255)
		status = -1;
	fclose(f);
	return status;
}

/* The guest's results.xml, its environment naming both kernels and the VM,
 * written as the host's report set in req->out. */
int publish(struct vm *vm, int argc, char **argv)
{
	struct nc_run run;
	struct utsname uts;
	char path[PATH_MAX], text[2048], err[1024];
	const char *guest_command = NULL;
	size_t used = 0;
	int werr;

	nc_path_in(path, vm->rundir, "reports/results.xml");
	if (access(path, F_OK) < 0)
		return 2;	/* the guest said why */
	if (nc_results_read(path, &run, err, sizeof(err)) < 0)
		return nc_vm_error("%s", err);
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
	nc_kv_set(&run.env, &run.n_env, "command", text);
	snprintf(text, sizeof(text), QEMU " %s, %d vCPUs, %d MiB, no network device; "
		 "booted in %.1f s%s", vm->accel->name, GUEST_CPUS, GUEST_MEM_MB, vm->boot_s,
		 vm->crashed_boots == 1 ? " (after a crashed boot)" :
		 vm->crashed_boots > 1 ? " (after crashed boots)" : "");
	nc_kv_set(&run.env, &run.n_env, "vm", text);
	nc_kv_set(&run.env, &run.n_env, "vm.image", vm->image);
	if (vm->run_panic[0]) {
		snprintf(text, sizeof(text), "the first run ended in a kernel panic (%s): "
			 "these are the second's results", vm->run_panic);
		nc_kv_set(&run.env, &run.n_env, "vm.panic", text);
	}
	nc_kv_set(&run.env, &run.n_env, "vm.boot", vm->unpacked
		  ? "its payload unpacked on the host, booted by its PVH entry point"
		  : "the bzImage, which unpacks itself in the guest");
	nc_kv_set(&run.env, &run.n_env, "vm.root", strcmp(vm->root, "/") == 0 ? "the host's, read-only" : vm->root);
	nc_kv_set(&run.env, &run.n_env, "vm.modules", vm->moddir);
	uname(&uts);
	snprintf(text, sizeof(text), "%s %s %s", uts.sysname, uts.release, uts.machine);
	nc_kv_set(&run.env, &run.n_env, "host.kernel", text);
	if (vm->req->platform)
		nc_kv_set(&run.env, &run.n_env, "platform", vm->req->platform);

	werr = nc_report_dir_publish(&vm->out, &run);
	nc_run_free(&run);
	if (werr < 0)
		return nc_vm_error("%s (the previous reports are kept)",
				   nc_error_text(werr, err, sizeof(err)));
	printf("reports: %s/junit.xml %s/index.html %s/ktap.txt %s/results.xml\n",
	       vm->req->out, vm->req->out, vm->req->out, vm->req->out);
	return 0;
}
