/* What the machine is and offers: the environment block of every report,
 * and `netconform doctor`. */
#include <errno.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "datadir.h"
#include "diag.h"
#include "env.h"
#include "libc.h"
#include "netem.h"
#include "nftables.h"
#include "results.h"
#include "sandbox.h"
#include "sysctl.h"
#include "version.h"

static void libc_name(char *buf, size_t size)
{
#ifdef __GLIBC__
	snprintf(buf, size, "glibc %s", gnu_get_libc_version());
#else
	snprintf(buf, size, "unknown libc");
#endif
}

void nc_env_collect(struct nc_run *run, const char *sandbox_mode, int argc, char **argv)
{
	struct utsname uts;
	char text[1024], host[256];
	size_t used = 0;
	time_t now = time(NULL);

	uname(&uts);
	snprintf(text, sizeof(text), "%s %s %s", uts.sysname, uts.release, uts.machine);
	nc_kv_add(&run->env, &run->n_env, "kernel", text);
	nc_kv_add(&run->env, &run->n_env, "kernel.version", uts.version);
	libc_name(text, sizeof(text));
	nc_kv_add(&run->env, &run->n_env, "libc", text);
	nc_kv_add(&run->env, &run->n_env, "sandbox", sandbox_mode);
	nc_kv_add(&run->env, &run->n_env, "netem",
		  nc_netem_available() ? "available" : "not available (no sch_netem)");
	text[0] = '\0';
	for (int i = 0; i < argc && used < sizeof(text) - 1; i++) {
		int n = snprintf(text + used, sizeof(text) - used, "%s%s", i ? " " : "", argv[i]);
		if (n > 0)
			used += (size_t)n;
	}
	nc_kv_add(&run->env, &run->n_env, "command", text);
	strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	nc_kv_add(&run->env, &run->n_env, "date", text);
	if (gethostname(host, sizeof(host)) == 0)
		nc_kv_add(&run->env, &run->n_env, "hostname", host);
	nc_kv_add(&run->env, &run->n_env, "netconform", NC_VERSION " (" NC_DESCRIBE ")");
	nc_kv_add(&run->env, &run->n_env, "commit", NC_COMMIT);
}

static int say(const char *what, bool ok, const char *detail, const char *remedy)
{
	printf("%-22s %-4s %s\n", what, ok ? "ok" : "MISSING", detail);
	if (!ok && remedy)
		printf("%-22s      remedy: %s\n", "", remedy);
	return ok ? 0 : 1;
}

/* The sysctls checks write (in their own namespaces; here the sandbox's,
 * the same value written back). */
static const char *const written_sysctls[] = {
	"net.ipv4.tcp_syn_retries", "net.core.somaxconn", "net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.tcp_abort_on_overflow", "net.ipv6.conf.all.disable_ipv6",
};

/* Runs in the parent namespaces first (to see the machine), then probes
 * what needs the sandbox. */
int nc_doctor(void)
{
	struct nc_sandbox_info info;
	struct utsname uts;
	char text[512], libc[64];
	int missing = 0, err;

	uname(&uts);
	libc_name(libc, sizeof(libc));
	printf("kernel                 %s %s\n", uts.release, uts.machine);
	printf("libc                   %s\n", libc);
	printf("user                   %s (uid %u)\n", geteuid() == 0 ? "root" : "unprivileged",
	       (unsigned)geteuid());
	/* the scenarios and expectations a run reads, found beside the program */
	nc_data_path("scenarios", text, sizeof(text));
	missing += say("data", access(text, R_OK | X_OK) == 0, nc_data_dir(),
		       "make install (PREFIX/share/netconform), or run --scenarios DIR --expect FILE");
	err = nc_sandbox_enter(&info);
	missing += say("sandbox", err == 0, err == 0 ? info.mode : strerror(-err),
		       "enable user namespaces: sysctl -w user.max_user_namespaces=10000 "
		       "(and kernel.unprivileged_userns_clone=1 where it exists), or run as root");
	if (err < 0)
		return 1;
	/* Faults go in as nf_tables rules made in process; without nf_tables
	 * the checks of scenarios with faults are skipped. */
	say("faults (nf_tables)", nc_nft_available(),
	    nc_nft_available() ? "in process (libnftnl)"
			       : "refused by this kernel: checks with faults will be skipped",
	    "a kernel with CONFIG_NF_TABLES, NFT_REJECT and NFT_NUMGEN");
	/* musl is optional: only `run --libc musl` needs it. */
	err = nc_musl_status(text, sizeof(text));
	say("musl (--libc musl)", err == 0, text, "make deps (installs musl-tools), then make");
	/* netem is optional: the checks that need it are skipped without it. */
	say("netem (sch_netem)", nc_netem_available(),
	    nc_netem_available() ? "available" : "not in this kernel: netem checks will be skipped",
	    "a kernel with CONFIG_NET_SCH_NETEM (e.g. netconform's QEMU mode)");
	/* Optional too: the checks that need them are skipped, with the reason. */
	say("sock_diag", nc_diag_available(),
	    nc_diag_available() ? "available" : "none: TCP-state checks of closed sockets skip",
	    "a kernel with CONFIG_INET_DIAG");
	text[0] = '\0';
	for (size_t i = 0, used = 0; i < sizeof(written_sysctls) / sizeof(written_sysctls[0]); i++) {
		char value[64];

		if (nc_sysctl_read_here(written_sysctls[i], value, sizeof(value)) == 0 &&
		    nc_sysctl_write_here(written_sysctls[i], value) == 0)
			continue;
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s", used ? ", " : "",
					 written_sysctls[i]);
	}
	say("sysctls", !text[0], text[0] ? text : "the 5 the checks set are writable",
	    "a kernel that lets a network namespace set them (until then the checks that set them skip)");
	printf("%s\n", missing ? "doctor: something is missing" : "doctor: ready");
	return missing ? 1 : 0;
}
