/* The zone of the DNS server's unit test (tests/test_resolver.c) and of its
 * fuzz target (tests/fuzz/fuzz_dns.c): records, forced answers, a
 * truncated name, a partly truncated one, a dropped query, a CNAME chain and a CNAME loop. */
#ifndef NC_DNS_TEST_ZONE_H
#define NC_DNS_TEST_ZONE_H

#include "dns_server.h"

static const char *const test_zone_records[] = {
	"www.example.test. 60 IN A 198.51.100.10",
	"www.example.test. 60 IN AAAA 2001:db8::10",
	"alias.example.test. 60 IN CNAME www.example.test.",
	"loop1.example.test. 60 IN CNAME loop2.example.test.",
	"loop2.example.test. 60 IN CNAME loop1.example.test.",
	"10.100.51.198.in-addr.arpa. 60 IN PTR www.example.test.",
	"big.example.test. 60 IN A 198.51.100.20",
	"pair.example.test. 60 IN A 198.51.100.21",
	"pair.example.test. 60 IN A 198.51.100.22",
	NULL
};
static const struct nc_dns_rule test_zone_rules[] = {
	{ "servfail.example.test.", NC_DNS_SERVFAIL },
	{ "refused.example.test.", NC_DNS_REFUSED },
	{ "empty.example.test.", NC_DNS_NODATA },
	{ NULL, 0 }
};
static const char *const test_zone_truncated[] = { "big.example.test.", NULL };
static const char *const test_zone_partial[] = { "pair.example.test.", NULL };
static const struct nc_dns_drop test_zone_dropped[] = {
	{ "alias.example.test.", NC_DNS_TYPE_AAAA },
	{ NULL, 0 }
};
static const struct nc_dns_zone test_zone = {
	.records = test_zone_records, .rules = test_zone_rules,
	.truncated = test_zone_truncated, .dropped = test_zone_dropped,
	.truncated_partial = test_zone_partial,
};

#endif
