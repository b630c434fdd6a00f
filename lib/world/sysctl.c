/* Sysctls of a host.  Only names in the table below may be set: all are
 * per network namespace, so even a suite run without a user namespace
 * (plain root + unshare --net) cannot change the host through them.  The
 * TCP sysctls under net.ipv4 apply to IPv6 sockets as well; net.ipv6 has no
 * tcp_* of its own. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "file.h"
#include "forced.h"
#include "strnum.h"
#include "sysctl.h"

static const struct sysctl_def {
	const char *name;	/* "*" stands for one interface name, "all" or "default" */
	int n_values;
	long min, max;
} sysctl_defs[] = {
	{ "net.core.somaxconn", 1, 0, INT_MAX },
	{ "net.ipv4.ip_local_port_range", 2, 1, 65535 },
	{ "net.ipv4.ip_unprivileged_port_start", 1, 0, 65536 },
	{ "net.ipv4.ip_nonlocal_bind", 1, 0, 1 },
	{ "net.ipv4.ip_forward", 1, 0, 1 },
	{ "net.ipv4.ping_group_range", 2, 0, INT_MAX },
	{ "net.ipv4.icmp_ratelimit", 1, 0, INT_MAX },
	{ "net.ipv4.tcp_syn_retries", 1, 1, 127 },
	/* since Linux 6.5 (default 4): the first N SYN retransmissions come 1 s
	 * apart, not 1, 2, 4 s, so tcp_syn_retries 1 sends 3 SYNs in its 3 s */
	{ "net.ipv4.tcp_syn_linear_timeouts", 1, 0, 127 },
	{ "net.ipv4.tcp_synack_retries", 1, 0, 255 },
	{ "net.ipv4.tcp_retries1", 1, 0, 255 },
	{ "net.ipv4.tcp_retries2", 1, 0, 255 },
	{ "net.ipv4.tcp_orphan_retries", 1, 0, 255 },
	{ "net.ipv4.tcp_fin_timeout", 1, 0, INT_MAX },
	{ "net.ipv4.tcp_abort_on_overflow", 1, 0, 1 },
	{ "net.ipv4.tcp_max_syn_backlog", 1, 0, INT_MAX },
	{ "net.ipv4.tcp_syncookies", 1, 0, 2 },
	{ "net.ipv4.tcp_keepalive_time", 1, 1, INT_MAX },
	{ "net.ipv4.tcp_keepalive_intvl", 1, 1, INT_MAX },
	{ "net.ipv4.tcp_keepalive_probes", 1, 1, 127 },
	{ "net.ipv4.tcp_tw_reuse", 1, 0, 2 },
	{ "net.ipv4.tcp_timestamps", 1, 0, 2 },
	{ "net.ipv4.tcp_sack", 1, 0, 1 },
	{ "net.ipv4.tcp_window_scaling", 1, 0, 1 },
	{ "net.ipv4.tcp_ecn", 1, 0, 2 },
	{ "net.ipv4.conf.*.forwarding", 1, 0, 1 },
	{ "net.ipv4.conf.*.rp_filter", 1, 0, 2 },
	{ "net.ipv4.conf.*.accept_local", 1, 0, 1 },
	{ "net.ipv6.bindv6only", 1, 0, 1 },
	{ "net.ipv6.ip_nonlocal_bind", 1, 0, 1 },
	{ "net.ipv6.icmp.ratelimit", 1, 0, INT_MAX },
	{ "net.ipv6.conf.*.forwarding", 1, 0, 1 },
	{ "net.ipv6.conf.*.disable_ipv6", 1, 0, 1 },
	{ "net.ipv6.conf.*.accept_dad", 1, 0, 2 },
	{ "net.ipv6.conf.*.accept_ra", 1, 0, 2 },
};

static bool name_matches(const char *pattern, const char *name)
{
	const char *star = strchr(pattern, '*');
	size_t head, tail, len = strlen(name);
	const char *word;

	if (!star)
		return strcmp(pattern, name) == 0;
	head = (size_t)(star - pattern);
	tail = strlen(star + 1);
	if (len <= head + tail || strncmp(pattern, name, head) != 0 ||
	    strcmp(name + len - tail, star + 1) != 0)
		return false;
	/* the interface part: no dots, no slashes, at most IFNAMSIZ-1 */
	word = name + head;
	len -= head + tail;
	return len < 16 && strcspn(word, "./ ") >= len;
}

static const struct sysctl_def *find(const char *name)
{
	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_.-") != strlen(name))
		return NULL;
	for (size_t i = 0; i < sizeof(sysctl_defs) / sizeof(sysctl_defs[0]); i++)
		if (name_matches(sysctl_defs[i].name, name))
			return &sysctl_defs[i];
	return NULL;
}

bool nc_sysctl_known(const char *name)
{
	return find(name) != NULL;
}

const char *nc_sysctl_interface(const char *name, char *buf, size_t size)
{
	const struct sysctl_def *def = find(name);
	const char *star = def ? strchr(def->name, '*') : NULL;
	size_t head, len;

	if (!star)
		return NULL;
	head = (size_t)(star - def->name);
	len = strlen(name) - head - strlen(star + 1);
	snprintf(buf, size, "%.*s", (int)len, name + head);
	return buf;
}

int nc_sysctl_check(const char *name, const char *value, char *err, size_t errsize)
{
	const struct sysctl_def *def = find(name);
	const char *p = value;
	int n = 0;

	if (!def) {
		snprintf(err, errsize, "unknown sysctl %s (see the table in lib/world/sysctl.c)",
			 name);
		return -1;
	}
	while (*p) {
		char word[32];
		size_t len;
		long v;
		int ret;

		p += strspn(p, " \t");
		len = strcspn(p, " \t");
		if (!len)
			break;
		snprintf(word, sizeof(word), "%.*s", (int)len, p);
		ret = len < sizeof(word) ? nc_parse_long(word, def->min, def->max, &v) : -ERANGE;
		if (ret == -EINVAL) {
			snprintf(err, errsize, "%s: \"%s\" is not a number", name, value);
			return -1;
		}
		if (ret < 0) {
			snprintf(err, errsize, "%s: %.*s is out of range (%ld to %ld)",
				 name, (int)len, p, def->min, def->max);
			return -1;
		}
		n++;
		p += len;
	}
	if (n != def->n_values) {
		snprintf(err, errsize, "%s takes %d number%s, got \"%s\"", name,
			 def->n_values, def->n_values == 1 ? "" : "s", value);
		return -1;
	}
	return 0;
}

static int sysctl_path(const char *name, char *path, size_t size)
{
	if (!nc_sysctl_known(name))
		return -EPERM;
	if ((size_t)snprintf(path, size, "/proc/sys/%s", name) >= size)
		return -ENAMETOOLONG;
	for (char *c = path + strlen("/proc/sys/"); *c; c++)
		if (*c == '.')
			*c = '/';
	return 0;
}

/* net.*.conf.IFNAME.* with an IFNAME that has no directory here (all and
 * default always have one where the sysctl exists at all). */
static bool names_an_absent_link(const char *name)
{
	char ifname[64];

	return nc_sysctl_interface(name, ifname, sizeof(ifname)) &&
	       strcmp(ifname, "all") != 0 && strcmp(ifname, "default") != 0;
}

int nc_sysctl_write_here(const char *name, const char *value)
{
	char path[256];
	int err = sysctl_path(name, path, sizeof(path));
	char forced[128];

	if (err < 0)
		return err;
	snprintf(forced, sizeof(forced), "sysctl:%s", name);
	err = nc_forced_missing(forced) ? -EROFS : nc_file_write(path, value, false);
	/* Read-only (gVisor: EIO) or absent in this kernel's namespace: the
	 * sysctl is missing, not broken.  Not so one of an interface that is
	 * not there (ENOENT): that is the scenario's mistake. */
	if (err == -ENOENT && names_an_absent_link(name))
		return err;
	if (err == -EROFS || err == -EIO || err == -EACCES || err == -ENOENT)
		return nc_error(-EOPNOTSUPP, "sysctl %s: read-only or absent in this network namespace",
				name);
	return err;
}

int nc_sysctl_read_here(const char *name, char *buf, size_t size)
{
	char path[256];
	ssize_t n;
	int err = sysctl_path(name, path, sizeof(path));

	if (err < 0)
		return err;
	n = nc_file_read(path, buf, size);
	if (n < 0)
		return (int)n;
	/* "32768\t60999\n" reads back as it is written: "32768 60999" */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	for (char *c = buf; *c; c++)
		if (*c == '\t')
			*c = ' ';
	return 0;
}
