/* A check's needs, each probed without changing anything (needs.h). */
#include <errno.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "diag.h"
#include "forced.h"
#include "needs.h"
#include "sysctl.h"

/* Whether a socket of this kind can be made here. */
static bool socket_works(int domain, int type, int protocol)
{
	int fd = socket(domain, type | SOCK_CLOEXEC, protocol);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static bool has_sock_diag(void)
{
	return nc_diag_available();
}

static bool has_nf_tables(void)
{
	return socket_works(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER);
}

static bool has_ipv6(void)
{
	return socket_works(AF_INET6, SOCK_STREAM, 0);
}

/* veth links and route types show only in the making: the scenario's
 * builder finds them missing (NC_FORCE_MISSING stands in here). */
static bool made_when_used(void)
{
	return true;
}

static const struct need {
	const char *name;
	bool (*present)(void);
	const char *lacked;	/* why the check skips */
} needs[] = {
	{ "sock_diag", has_sock_diag, "needs sock_diag (NETLINK_SOCK_DIAG), which this kernel has none of" },
	{ "nf_tables", has_nf_tables, "needs nf_tables for its faults, which this kernel lacks" },
	{ "veth", made_when_used, "needs veth links (CONFIG_VETH), which this kernel lacks" },
	{ "route_types", made_when_used, "needs routes of the scenario's types, which this kernel lacks" },
	{ "ipv6", has_ipv6, "needs IPv6 (AF_INET6 sockets), which this system lacks" },
};

/* "sysctl:NAME": present when /proc/sys has it (whether it is writable
 * shows in the writing: lib/world/sysctl.c makes that a skip too). */
static int sysctl_need(const char *word, size_t len, char *reason, size_t size)
{
	char name[128], path[160], forced[160];

	if (len - 7 >= sizeof(name))
		return -EINVAL;
	memcpy(name, word + 7, len - 7);
	name[len - 7] = '\0';
	if (!nc_sysctl_known(name)) {
		snprintf(reason, size, "needs '%.*s': no sysctl of lib/world/sysctl.c's table",
			 (int)len, word);
		return -EINVAL;
	}
	snprintf(forced, sizeof(forced), "sysctl:%s", name);
	snprintf(path, sizeof(path), "/proc/sys/%s", name);
	for (char *c = path + strlen("/proc/sys/"); *c; c++)
		if (*c == '.')
			*c = '/';
	if (!nc_forced_missing(forced) && access(path, F_OK) == 0)
		return 0;
	snprintf(reason, size, "needs a writable sysctl %s: read-only or absent here", name);
	return 1;
}

static int one_need(const char *word, size_t len, char *reason, size_t size)
{
	if (len > 7 && strncmp(word, "sysctl:", 7) == 0)
		return sysctl_need(word, len, reason, size);
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		if (strlen(needs[i].name) != len || strncmp(word, needs[i].name, len) != 0)
			continue;
		if (!nc_forced_missing(needs[i].name) && needs[i].present())
			return 0;
		snprintf(reason, size, "%s", needs[i].lacked);
		return 1;
	}
	snprintf(reason, size, "needs '%.*s', which names nothing netconform knows", (int)len, word);
	return -EINVAL;
}

int nc_needs_missing(const char *needs_text, char *reason, size_t size)
{
	for (const char *p = needs_text; p && *(p += strspn(p, " ")); ) {
		size_t len = strcspn(p, " ");
		int status = one_need(p, len, reason, size);

		if (status != 0)
			return status;
		p += len;
	}
	return 0;
}
