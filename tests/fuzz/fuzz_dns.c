/* libFuzzer: the check DNS server's answer to any message
 * (lib/world/dns_answer.c), over UDP and over TCP.  Every answer it sends
 * must be a DNS message ldns reads back. */
#include <ldns/ldns.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../dns_test_zone.h"
#include "dns_answer.h"
#include "fuzz.h"

static struct nc_dns_answerer *answerer;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	NC_FUZZ_ASSERT(nc_dns_answerer_new(&test_zone, &answerer) == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nc_dns_stats stats = { 0 };
	char qname[88];

	/* the log's reading of the question: never past its buffer */
	nc_dns_question(data, size, qname, sizeof(qname));
	NC_FUZZ_ASSERT(memchr(qname, '\0', sizeof(qname)) != NULL);
	/* udp 0, 1: the zone's answer over TCP, UDP; 2: a SERVFAIL server's */
	for (int udp = 0; udp < 3; udp++) {
		uint8_t *answer;
		size_t len = udp == 2 ? nc_dns_answer_rcode(data, size, 2, &answer) :
			     nc_dns_answer(answerer, data, size, udp, &stats, &answer);
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
