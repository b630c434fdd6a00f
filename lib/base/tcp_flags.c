#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tcp_flags.h"

static const struct {
	const char *name;
	uint8_t bits;
} flag_names[] = {	/* the order of nc_tcp_flags_text() */
	{ "SYN", NC_TCP_SYN }, { "FIN", NC_TCP_FIN }, { "RST", NC_TCP_RST },
	{ "PSH", NC_TCP_PSH }, { "ACK", NC_TCP_ACK }, { "URG", NC_TCP_URG },
	{ "ALL", NC_TCP_ALL }, { "NONE", 0 },
};

#define N_NAMES (sizeof(flag_names) / sizeof(flag_names[0]))

int nc_tcp_flags_parse(const char *text, uint8_t *bits)
{
	unsigned seen = 0;

	*bits = 0;
	if (!*text)
		return -EINVAL;
	for (const char *p = text;;) {
		size_t len = strcspn(p, ","), i;

		for (i = 0; i < N_NAMES; i++)
			if (strlen(flag_names[i].name) == len &&
			    strncmp(flag_names[i].name, p, len) == 0)
				break;
		if (i == N_NAMES || seen & (1u << i))
			return -EINVAL;
		seen |= 1u << i;
		*bits |= flag_names[i].bits;
		p += len;
		if (!*p)
			return 0;
		if (!*++p)	/* a trailing comma */
			return -EINVAL;
	}
}

const char *nc_tcp_flags_text(uint8_t bits, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < N_NAMES && used < size; i++)
		if (flag_names[i].bits && (flag_names[i].bits & (flag_names[i].bits - 1)) == 0 &&
		    (bits & flag_names[i].bits))
			used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "," : "",
						 flag_names[i].name);
	if (!used)
		snprintf(buf, size, "NONE");
	return buf;
}
