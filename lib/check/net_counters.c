/* The kernel's network counters, read from /proc (net_counters.h). */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "net_counters.h"
#include "strnum.h"

/* A counter of /proc/thread-self/net/FILE where each section is a line of
 * names ("TcpExt: SyncookiesSent ...") and a line of their values. */
static long section_counter(const char *file, const char *section, const char *name)
{
	char path[64], names[4096], values[4096], *name_save, *value_save;
	FILE *table;
	long found = -1;

	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", file);
	table = fopen(path, "re");
	if (!table)
		return -1;
	while (found < 0 && fgets(names, sizeof(names), table) &&
	       fgets(values, sizeof(values), table)) {
		char *n = strtok_r(names, " \n", &name_save);
		char *v = strtok_r(values, " \n", &value_save);

		if (!n || strcmp(n, section) != 0)
			continue;
		while ((n = strtok_r(NULL, " \n", &name_save)) &&
		       (v = strtok_r(NULL, " \n", &value_save)) && found < 0)
			if (strcmp(n, name) == 0 && nc_parse_long(v, 0, LONG_MAX, &found) < 0)
				found = -1;	/* not a counter: reported as unread */
	}
	fclose(table);
	return found;
}

/* A counter of /proc/thread-self/net/snmp6: a line "NAME VALUE" each. */
static long snmp6_counter(const char *name)
{
	FILE *table = fopen("/proc/thread-self/net/snmp6", "re");
	char line[256], *save;
	long found = -1;

	if (!table)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), table)) {
		char *n = strtok_r(line, " \t\n", &save);
		char *v = strtok_r(NULL, " \t\n", &save);

		if (n && v && strcmp(n, name) == 0 && nc_parse_long(v, 0, LONG_MAX, &found) < 0)
			found = -1;
	}
	fclose(table);
	return found;
}

long nc_tcpext(const char *name)
{
	return section_counter("netstat", "TcpExt:", name);
}

long nc_icmp_unreach_in(int family)
{
	if (family == AF_INET)
		return section_counter("snmp", "Icmp:", "InDestUnreachs");
	return family == AF_INET6 ? snmp6_counter("Icmp6InDestUnreachs") : -1;
}
