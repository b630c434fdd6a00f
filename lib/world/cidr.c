/* Addresses with a prefix ("198.18.0.1/24", "2001:db8::1/64"), and the
 * ranges a scenario may use: the parser checks every address against them,
 * so no packet of the suite can be meant for a real network. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cidr.h"
#include "strnum.h"

static const struct allowed_range {
	int family;
	unsigned char addr[16];
	int prefix;
} allowed_ranges[] = {
	{ AF_INET,  { 198, 18 }, 15 },
	{ AF_INET,  { 192, 0, 2 }, 24 },
	{ AF_INET,  { 198, 51, 100 }, 24 },
	{ AF_INET,  { 203, 0, 113 }, 24 },
	{ AF_INET,  { 127 }, 8 },
	{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8 }, 32 },
	{ AF_INET6, { [15] = 1 }, 128 },
};

static bool prefix_equal(const unsigned char *a, const unsigned char *b, int bits)
{
	int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)bytes) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[bytes] ^ b[bytes]) & (0xff << (8 - rest)) & 0xff) == 0;
}

bool nc_cidr_allowed(int family, const unsigned char addr[16], int prefix)
{
	for (size_t i = 0; i < sizeof(allowed_ranges) / sizeof(allowed_ranges[0]); i++) {
		const struct allowed_range *r = &allowed_ranges[i];

		if (r->family == family && prefix >= r->prefix &&
		    prefix_equal(addr, r->addr, r->prefix))
			return true;
	}
	return false;
}

int nc_ip_parse(const char *text, int *family, unsigned char addr[16])
{
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, text, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, addr) == 1) {
		*family = AF_INET6;
		return 0;
	}
	return -1;
}

int nc_cidr_parse(const char *text, int *family, unsigned char addr[16],
		  int *prefix, char *err, size_t errsize)
{
	char host[INET6_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : strlen(text);
	unsigned long bits;
	int max;

	if (len >= sizeof(host) || len == 0) {
		snprintf(err, errsize, "bad address \"%s\"", text);
		return -1;
	}
	memcpy(host, text, len);
	host[len] = '\0';
	if (nc_ip_parse(host, family, addr) < 0) {
		snprintf(err, errsize, "bad address \"%s\"", host);
		return -1;
	}
	max = *family == AF_INET ? 32 : 128;
	if (!slash) {
		snprintf(err, errsize, "%s: missing /prefix", text);
		return -1;
	}
	if (nc_parse_ulong(slash + 1, 0, (unsigned long)max, &bits) < 0) {
		snprintf(err, errsize, "%s: bad prefix /%s (an %s prefix is 0 to %d)",
			 text, slash + 1, *family == AF_INET ? "IPv4" : "IPv6", max);
		return -1;
	}
	*prefix = (int)bits;
	return 0;
}
