/* Addresses with a prefix, and the ranges a scenario may use. */
#ifndef NC_CIDR_H
#define NC_CIDR_H

#include <stdbool.h>
#include <stddef.h>

#define NC_CIDR_ALLOWED_TEXT "198.18.0.0/15, 192.0.2.0/24, 198.51.100.0/24, " \
	"203.0.113.0/24, 2001:db8::/32 or loopback"

/* An IPv4 or IPv6 address without a prefix: its family and bytes.  0 or -1. */
int nc_ip_parse(const char *text, int *family, unsigned char addr[16]);
/* "a.b.c.d/N" or "v6/N": family, address bytes and prefix.  Returns 0, or
 * -1 with the reason in err ("bad address", "missing /prefix", ...). */
int nc_cidr_parse(const char *text, int *family, unsigned char addr[16],
		  int *prefix, char *err, size_t errsize);
/* Whether the prefix lies wholly in the ranges a scenario may use:
 * 198.18.0.0/15, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24,
 * 2001:db8::/32, 127.0.0.0/8, ::1/128. */
bool nc_cidr_allowed(int family, const unsigned char addr[16], int prefix);

#endif
