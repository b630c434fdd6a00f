/* The check's DNS server's answers (lib/world/dns_server.h), without sockets:
 * a zone parsed once, and the wire answer to a wire query.  Split from the
 * server so that it can be fuzzed (make fuzz). */
#include <errno.h>
#include <ldns/ldns.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_answer.h"

#define CNAME_CHAIN_MAX 8
#define NAMES_MAX 64	/* rules, and dropped queries */

/* Everything copied from the zone it was made of: the server runs beside
 * the check, whose zone may be gone. */
struct nc_dns_answerer {
	ldns_rr_list *records;
	int rule_rcodes[NAMES_MAX];
	ldns_rdf **rule_names;
	size_t n_rules;
	ldns_rdf **truncated, **partial;
	size_t n_truncated, n_partial;
	uint16_t dropped_qtypes[NAMES_MAX];
	ldns_rdf **dropped_names;
	size_t n_dropped;
};

void nc_dns_answerer_free(struct nc_dns_answerer *zone)
{
	if (!zone)
		return;
	for (size_t i = 0; i < zone->n_rules; i++)
		ldns_rdf_deep_free(zone->rule_names[i]);
	for (size_t i = 0; i < zone->n_truncated; i++)
		ldns_rdf_deep_free(zone->truncated[i]);
	for (size_t i = 0; i < zone->n_partial; i++)
		ldns_rdf_deep_free(zone->partial[i]);
	for (size_t i = 0; i < zone->n_dropped; i++)
		ldns_rdf_deep_free(zone->dropped_names[i]);
	free(zone->rule_names);
	free(zone->truncated);
	free(zone->partial);
	free(zone->dropped_names);
	ldns_rr_list_deep_free(zone->records);
	free(zone);
}

/* A NULL-terminated list of names, *n counting them. */
static int dnames_parse(const char *const *names, size_t *n, ldns_rdf ***out)
{
	if (*n == 0)
		while (names && names[*n])
			(*n)++;
	*out = calloc(*n ? *n : 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < *n; i++) {
		(*out)[i] = ldns_dname_new_frm_str(names[i]);
		if (!(*out)[i])
			return -EINVAL;
	}
	return 0;
}

static int zone_parse(const struct nc_dns_zone *spec, struct nc_dns_answerer *zone)
{
	const char *rule_names[NAMES_MAX + 1], *dropped_names[NAMES_MAX + 1];
	int err;

	zone->records = ldns_rr_list_new();
	if (!zone->records)
		return -ENOMEM;
	for (const char *const *line = spec->records; line && *line; line++) {
		ldns_rr *rr = NULL;

		if (ldns_rr_new_frm_str(&rr, *line, 3600, NULL, NULL) != LDNS_STATUS_OK)
			return -EINVAL;
		ldns_rr_list_push_rr(zone->records, rr);
	}
	for (const struct nc_dns_rule *r = spec->rules; r && r->name; r++) {
		if (zone->n_rules == NAMES_MAX)
			return -E2BIG;
		zone->rule_rcodes[zone->n_rules] = r->rcode;
		rule_names[zone->n_rules++] = r->name;
	}
	rule_names[zone->n_rules] = NULL;
	err = dnames_parse(rule_names, &zone->n_rules, &zone->rule_names);
	if (err < 0)
		return err;
	for (const struct nc_dns_drop *d = spec->dropped; d && d->name; d++) {
		if (zone->n_dropped == NAMES_MAX)
			return -E2BIG;
		zone->dropped_qtypes[zone->n_dropped] = d->qtype;
		dropped_names[zone->n_dropped++] = d->name;
	}
	dropped_names[zone->n_dropped] = NULL;
	err = dnames_parse(dropped_names, &zone->n_dropped, &zone->dropped_names);
	if (err < 0)
		return err;
	err = dnames_parse(spec->truncated, &zone->n_truncated, &zone->truncated);
	if (err < 0)
		return err;
	return dnames_parse(spec->truncated_partial, &zone->n_partial, &zone->partial);
}

int nc_dns_answerer_new(const struct nc_dns_zone *spec, struct nc_dns_answerer **out)
{
	struct nc_dns_answerer *zone = calloc(1, sizeof(*zone));
	int err = zone ? zone_parse(spec, zone) : -ENOMEM;

	if (err < 0) {
		nc_dns_answerer_free(zone);
		zone = NULL;
	}
	*out = zone;
	return err;
}

/* Whether the zone drops the query (qname, qtype). */
static bool dropped(const struct nc_dns_answerer *zone, const ldns_rdf *qname,
		    ldns_rr_type qtype)
{
	for (size_t i = 0; i < zone->n_dropped; i++)
		if (zone->dropped_qtypes[i] == qtype &&
		    ldns_dname_compare(zone->dropped_names[i], qname) == 0)
			return true;
	return false;
}

static bool dname_in(ldns_rdf *const *list, size_t n, const ldns_rdf *name, size_t *at)
{
	for (size_t i = 0; i < n; i++)
		if (ldns_dname_compare(list[i], name) == 0) {
			if (at)
				*at = i;
			return true;
		}
	return false;
}

/* Adds the records answering (name, type), following CNAMEs.  Returns the
 * rcode: NXDOMAIN when the asked name has no record at all. */
static int zone_answer(const struct nc_dns_answerer *zone, const ldns_rdf *qname,
		       ldns_rr_type qtype, ldns_pkt *resp)
{
	const ldns_rdf *name = qname;

	for (int hop = 0; hop < CNAME_CHAIN_MAX; hop++) {
		const ldns_rr *cname = NULL;
		bool exists = false, answered = false;

		for (size_t i = 0; i < ldns_rr_list_rr_count(zone->records); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(zone->records, i);
			ldns_rr_type type = ldns_rr_get_type(rr);

			if (ldns_dname_compare(ldns_rr_owner(rr), name) != 0)
				continue;
			exists = true;
			if (type == qtype || qtype == LDNS_RR_TYPE_ANY) {
				ldns_pkt_push_rr(resp, LDNS_SECTION_ANSWER, ldns_rr_clone(rr));
				answered = true;
			} else if (type == LDNS_RR_TYPE_CNAME) {
				cname = rr;
			}
		}
		if (answered)
			return LDNS_RCODE_NOERROR;
		if (!cname)
			return exists || hop > 0 ? LDNS_RCODE_NOERROR : LDNS_RCODE_NXDOMAIN;
		ldns_pkt_push_rr(resp, LDNS_SECTION_ANSWER, ldns_rr_clone(cname));
		name = ldns_rr_rdf(cname, 0);
	}
	return LDNS_RCODE_SERVFAIL;	/* a CNAME loop */
}

/* The response to query, or NULL when there is nothing to answer. */
static ldns_pkt *respond(const struct nc_dns_answerer *zone, const ldns_pkt *query, bool udp,
			 volatile struct nc_dns_stats *stats)
{
	ldns_pkt *resp = ldns_pkt_new();
	const ldns_rr *question;
	const ldns_rdf *qname;
	size_t rule;

	if (!resp)
		return NULL;
	ldns_pkt_set_id(resp, ldns_pkt_id(query));
	ldns_pkt_set_qr(resp, true);
	ldns_pkt_set_aa(resp, true);
	ldns_pkt_set_ra(resp, true);
	ldns_pkt_set_rd(resp, ldns_pkt_rd(query));
	ldns_pkt_set_opcode(resp, ldns_pkt_get_opcode(query));
	if (ldns_pkt_get_opcode(query) != LDNS_PACKET_QUERY) {
		ldns_pkt_set_rcode(resp, LDNS_RCODE_NOTIMPL);
		return resp;
	}
	if (ldns_pkt_qdcount(query) != 1) {
		ldns_pkt_set_rcode(resp, LDNS_RCODE_FORMERR);
		return resp;
	}
	question = ldns_rr_list_rr(ldns_pkt_question(query), 0);
	qname = ldns_rr_owner(question);
	if (dropped(zone, qname, ldns_rr_get_type(question))) {
		__atomic_fetch_add(&stats->dropped, 1, __ATOMIC_RELAXED);
		ldns_pkt_free(resp);
		return NULL;
	}
	/* The resolver matches the answer's question to its query. */
	ldns_pkt_push_rr(resp, LDNS_SECTION_QUESTION, ldns_rr_clone(question));
	if (dname_in(zone->rule_names, zone->n_rules, qname, &rule)) {
		int rcode = zone->rule_rcodes[rule];

		ldns_pkt_set_rcode(resp, rcode == NC_DNS_NODATA ? LDNS_RCODE_NOERROR : rcode);
		return resp;
	}
	if (udp && dname_in(zone->truncated, zone->n_truncated, qname, NULL)) {
		ldns_pkt_set_tc(resp, true);
		__atomic_fetch_add(&stats->truncated, 1, __ATOMIC_RELAXED);
		return resp;
	}
	ldns_pkt_set_rcode(resp, zone_answer(zone, qname, ldns_rr_get_type(question), resp));
	if (udp && dname_in(zone->partial, zone->n_partial, qname, NULL) &&
	    ldns_pkt_ancount(resp) > 1) {
		/* the first record only, and TC: the rest is for TCP */
		ldns_rr_list *answer = ldns_pkt_answer(resp);

		while (ldns_rr_list_rr_count(answer) > 1)
			ldns_rr_free(ldns_rr_list_pop_rr(answer));
		ldns_pkt_set_ancount(resp, 1);
		ldns_pkt_set_tc(resp, true);
		__atomic_fetch_add(&stats->truncated, 1, __ATOMIC_RELAXED);
	}
	return resp;
}

size_t nc_dns_answer(const struct nc_dns_answerer *zone, const uint8_t *query, size_t len,
			bool udp, volatile struct nc_dns_stats *stats, uint8_t **out)
{
	ldns_pkt *parsed = NULL, *resp = NULL;
	size_t out_len = 0;

	*out = NULL;
	__atomic_fetch_add(udp ? &stats->udp_queries : &stats->tcp_queries, 1,
			   __ATOMIC_RELAXED);
	if (ldns_wire2pkt(&parsed, query, len) != LDNS_STATUS_OK) {
		__atomic_fetch_add(&stats->malformed, 1, __ATOMIC_RELAXED);
		if (len < LDNS_HEADER_SIZE || (query[2] & 0x80))
			return 0;	/* no header to answer, or not a query */
		resp = ldns_pkt_new();
		if (!resp)
			return 0;
		ldns_pkt_set_id(resp, (uint16_t)(query[0] << 8 | query[1]));
		ldns_pkt_set_qr(resp, true);
		ldns_pkt_set_rcode(resp, LDNS_RCODE_FORMERR);
	} else if (!ldns_pkt_qr(parsed)) {
		resp = respond(zone, parsed, udp, stats);
	}
	if (resp && ldns_pkt2wire(out, resp, &out_len) != LDNS_STATUS_OK) {
		*out = NULL;
		out_len = 0;
	}
	ldns_pkt_free(resp);
	ldns_pkt_free(parsed);
	return out_len;
}


uint16_t nc_dns_question(const uint8_t *query, size_t len, char *qname, size_t size)
{
	ldns_pkt *parsed = NULL;
	uint16_t qtype = 0;

	qname[0] = '\0';
	if (ldns_wire2pkt(&parsed, query, len) != LDNS_STATUS_OK)
		return 0;
	if (ldns_pkt_qdcount(parsed) >= 1) {
		const ldns_rr *question = ldns_rr_list_rr(ldns_pkt_question(parsed), 0);
		char *text = ldns_rdf2str(ldns_rr_owner(question));

		qtype = (uint16_t)ldns_rr_get_type(question);
		if (text)
			snprintf(qname, size, "%s", text);
		free(text);
	}
	ldns_pkt_free(parsed);
	return qtype;
}

size_t nc_dns_answer_rcode(const uint8_t *query, size_t len, int rcode, uint8_t **out)
{
	ldns_pkt *parsed = NULL, *resp;
	size_t out_len = 0;

	*out = NULL;
	if (ldns_wire2pkt(&parsed, query, len) != LDNS_STATUS_OK)
		return 0;
	resp = ldns_pkt_qr(parsed) ? NULL : ldns_pkt_new();
	if (resp) {
		ldns_pkt_set_id(resp, ldns_pkt_id(parsed));
		ldns_pkt_set_qr(resp, true);
		ldns_pkt_set_ra(resp, true);
		ldns_pkt_set_rd(resp, ldns_pkt_rd(parsed));
		ldns_pkt_set_rcode(resp, (uint8_t)rcode);
		for (size_t i = 0; i < ldns_pkt_qdcount(parsed); i++)
			ldns_pkt_push_rr(resp, LDNS_SECTION_QUESTION,
					 ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(parsed), i)));
		if (ldns_pkt2wire(out, resp, &out_len) != LDNS_STATUS_OK) {
			*out = NULL;
			out_len = 0;
		}
	}
	ldns_pkt_free(resp);
	ldns_pkt_free(parsed);
	return out_len;
}
