/* libFuzzer: the check DNS server's answer to any message
 * (lib/world/dns_answer.c), over UDP and over TCP.  Every answer it sends
 * must be a DNS message ldns reads back. */
#include <ldns/ldns.h>
#include <stdint.h>
#include <stdlib.h>

#include "dns_answer.h"
#include "fuzz.h"

static const char *const records[] = {
	"www.example.test. 60 IN A 198.51.100.10",
	"www.example.test. 60 IN AAAA 2001:db8::10",
	"alias.example.test. 60 IN CNAME www.example.test.",
	"loop1.example.test. 60 IN CNAME loop2.example.test.",
	"loop2.example.test. 60 IN CNAME loop1.example.test.",
	"10.100.51.198.in-addr.arpa. 60 IN PTR www.example.test.",
	"big.example.test. 60 IN A 198.51.100.20",
	NULL
};
static const struct nc_dns_rule rules[] = {
	{ "servfail.example.test.", NC_DNS_SERVFAIL },
	{ "refused.example.test.", NC_DNS_REFUSED },
	{ "empty.example.test.", NC_DNS_NODATA },
	{ NULL, 0 }
};
static const char *const truncated[] = { "big.example.test.", NULL };
static const struct nc_dns_zone zone = { records, rules, truncated };
static struct nc_dns_answerer *answerer;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	NC_FUZZ_ASSERT(nc_dns_answerer_new(&zone, &answerer) == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nc_dns_stats stats = { 0 };

	for (int udp = 0; udp < 2; udp++) {
		uint8_t *answer;
		size_t len = nc_dns_answer(answerer, data, size, udp, &stats, &answer);
		ldns_pkt *parsed = NULL;

		if (!answer)
			continue;
		NC_FUZZ_ASSERT(len <= 65535 && ldns_wire2pkt(&parsed, answer, len) == LDNS_STATUS_OK);
		NC_FUZZ_ASSERT(ldns_pkt_qr(parsed));
		ldns_pkt_free(parsed);
		free(answer);
	}
	return 0;
}
