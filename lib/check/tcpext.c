#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "strnum.h"
#include "tcpext.h"

long nc_tcpext(const char *name)
{
	char names[4096], values[4096], *name_save, *value_save;
	FILE *netstat = fopen("/proc/thread-self/net/netstat", "re");
	long found = -1;

	if (!netstat)
		return -1;
	/* a line of names, then a line of their values */
	while (found < 0 && fgets(names, sizeof(names), netstat) &&
	       fgets(values, sizeof(values), netstat)) {
		char *n = strtok_r(names, " \n", &name_save);
		char *v = strtok_r(values, " \n", &value_save);

		if (!n || strcmp(n, "TcpExt:") != 0)
			continue;
		while ((n = strtok_r(NULL, " \n", &name_save)) &&
		       (v = strtok_r(NULL, " \n", &value_save)) && found < 0)
			if (strcmp(n, name) == 0 && nc_parse_long(v, 0, LONG_MAX, &found) < 0)
				found = -1;	/* not a counter: reported as unread */
	}
	fclose(netstat);
	return found;
}
