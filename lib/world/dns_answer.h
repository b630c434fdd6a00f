/* The answers of the check's DNS server (lib/world/dns_server.h) as a function
 * of the query alone: no sockets, so that it can be fuzzed. */
#ifndef NC_DNS_ANSWER_H
#define NC_DNS_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns_server.h"

/* A zone, parsed once. */
struct nc_dns_answerer;

/* Returns 0, -EINVAL when a record or name does not parse, -E2BIG for too
 * many rules, -ENOMEM. */
int nc_dns_answerer_new(const struct nc_dns_zone *spec, struct nc_dns_answerer **out);
void nc_dns_answerer_free(struct nc_dns_answerer *zone);

/* The wire answer to a wire query (udp: as received over UDP, so that a
 * truncated name gets TC); *out malloc()ed and its length returned, or 0
 * and NULL: no answer.  Counts the query in stats. */
size_t nc_dns_answer(const struct nc_dns_answerer *zone, const uint8_t *query, size_t len,
		     bool udp, volatile struct nc_dns_stats *stats, uint8_t **out);

/* A wire query's question: its qtype, qname as text in qname
 * ("www.example.test."); 0 and "" when it does not parse. */
uint16_t nc_dns_question(const uint8_t *query, size_t len, char *qname, size_t size);

/* The answer to a wire query that is its question and rcode alone (a server
 * that answers SERVFAIL to everything); as nc_dns_answer(), uncounted. */
size_t nc_dns_answer_rcode(const uint8_t *query, size_t len, int rcode, uint8_t **out);

#endif
