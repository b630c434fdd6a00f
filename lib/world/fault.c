/* The fault model (fault.h): parsed once into numbers, matched, rendered.
 * A rule without ip4/ip6 applies to both families, its reject type
 * translated to each family's equivalent by the backend. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "strnum.h"
#include "tcp_flags.h"
#include "words.h"

static const char *const hook_names[] = { "input", "output", "forward" };
static const char *const proto_names[] = { NULL, "tcp", "udp", "icmp", "icmpv6" };

static const struct reject_name {
	const char *name;
	enum nc_fault_action action;
	unsigned families;
} reject_names[] = {
	{ "tcp-reset",              NC_REJECT_TCP_RESET,        NC_FAULT_IP4 | NC_FAULT_IP6 },
	{ "icmp-net-unreachable",   NC_REJECT_NET_UNREACHABLE,  NC_FAULT_IP4 },
	{ "icmp-host-unreachable",  NC_REJECT_HOST_UNREACHABLE, NC_FAULT_IP4 },
	{ "icmp-port-unreachable",  NC_REJECT_PORT_UNREACHABLE, NC_FAULT_IP4 },
	{ "icmp-admin-prohibited",  NC_REJECT_ADMIN_PROHIBITED, NC_FAULT_IP4 },
	{ "icmp-net-prohibited",    NC_REJECT_NET_PROHIBITED,   NC_FAULT_IP4 },
	{ "icmp-host-prohibited",   NC_REJECT_HOST_PROHIBITED,  NC_FAULT_IP4 },
	{ "icmp6-no-route",         NC_REJECT_NET_UNREACHABLE,  NC_FAULT_IP6 },
	{ "icmp6-addr-unreachable", NC_REJECT_HOST_UNREACHABLE, NC_FAULT_IP6 },
	{ "icmp6-port-unreachable", NC_REJECT_PORT_UNREACHABLE, NC_FAULT_IP6 },
	{ "icmp6-adm-prohibited",   NC_REJECT_ADMIN_PROHIBITED, NC_FAULT_IP6 },
};

#define N_REJECTS (sizeof(reject_names) / sizeof(reject_names[0]))

/* The first of the names of action in family (NC_FAULT_IP4/6). */
static const char *reject_name(enum nc_fault_action action, unsigned family)
{
	for (size_t i = 0; i < N_REJECTS; i++)
		if (reject_names[i].action == action && (reject_names[i].families & family))
			return reject_names[i].name;
	return NULL;
}

/* "9" or "1000:2000", 1 to 65535. */
static int parse_ports(const char *text, struct nc_port_range *out)
{
	char first[8];
	const char *colon = strchr(text, ':');
	size_t len = colon ? (size_t)(colon - text) : strlen(text);
	unsigned long from, to;

	if (len >= sizeof(first))
		return -EINVAL;
	memcpy(first, text, len);
	first[len] = '\0';
	if (nc_parse_ulong(first, 1, 65535, &from) < 0 ||
	    nc_parse_ulong(colon ? colon + 1 : first, from, 65535, &to) < 0)
		return -EINVAL;
	out->first = (uint16_t)from;
	out->last = (uint16_t)to;
	return 0;
}

static int word_index(const char *const *names, int n, const char *word)
{
	for (int i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], word) == 0)
			return i;
	return -1;
}

#define FAIL(...) do { snprintf(err, errsize, __VA_ARGS__); return -1; } while (0)

int nc_fault_parse_words(char **w, int n, struct nc_fault *out, char *err, size_t errsize)
{
	const struct reject_name *reject = NULL;
	unsigned explicit_families = 0;
	bool have_action = false;
	int i;

	memset(out, 0, sizeof(*out));
	out->probability = 1.0;
	if (n < 1)
		FAIL("expected input, output or forward");
	i = word_index(hook_names, 3, w[0]);
	if (i < 0)
		FAIL("unknown chain \"%s\" (expected input, output or forward)", w[0]);
	out->hook = (enum nc_fault_hook)i;

	for (i = 1; i < n; i++) {
		const char *word = w[i], *value = i + 1 < n ? w[i + 1] : NULL;
		int p = word_index(proto_names, 5, word);

		if (have_action)
			FAIL("unexpected \"%s\" after the action (drop or reject TYPE ends the rule)",
			     word);
		if (p > 0) {
			if (out->proto != NC_PROTO_ANY)
				FAIL("two protocols (%s and %s)", proto_names[out->proto], word);
			out->proto = (enum nc_fault_proto)p;
		} else if (strcmp(word, "ip4") == 0 || strcmp(word, "ip6") == 0) {
			if (explicit_families)
				FAIL("ip4 and ip6 are exclusive (a rule with neither applies to both)");
			explicit_families = word[2] == '4' ? NC_FAULT_IP4 : NC_FAULT_IP6;
		} else if (strcmp(word, "sport") == 0 || strcmp(word, "dport") == 0) {
			if (!value || parse_ports(value, word[0] == 's' ? &out->sport : &out->dport) < 0)
				FAIL("%s needs a port or range (N or N:M, 1 to 65535)", word);
			i++;
		} else if (strcmp(word, "flags") == 0) {
			if (i + 2 >= n || nc_tcp_flags_parse(w[i + 1], &out->flags_mask) < 0 ||
			    nc_tcp_flags_parse(w[i + 2], &out->flags_comp) < 0)
				FAIL("flags needs MASK COMP, e.g. \"flags SYN,ACK,FIN,RST ACK\" "
				     "(SYN ACK FIN RST URG PSH ALL NONE)");
			out->match_flags = true;
			i += 2;
		} else if (strcmp(word, "probability") == 0) {
			size_t len = value ? strlen(value) : 0;
			char number[32];
			double prob = -1;

			if (len > 0 && len < sizeof(number)) {
				bool percent = value[len - 1] == '%';

				snprintf(number, sizeof(number), "%.*s", (int)len - percent, value);
				if (nc_parse_double(number, 0, percent ? 100 : 1, &prob) < 0)
					prob = -1;
				else if (percent)
					prob /= 100;
			}
			if (!(prob > 0 && prob <= 1))
				FAIL("probability needs a number in (0, 1] or a percentage");
			out->probability = prob;
			i++;
		} else if (strcmp(word, "drop") == 0) {
			out->action = NC_FAULT_DROP;
			have_action = true;
		} else if (strcmp(word, "reject") == 0) {
			size_t r;

			if (!value)
				FAIL("reject needs a type (tcp-reset, icmp-net-unreachable, "
				     "icmp-host-unreachable, icmp-port-unreachable, "
				     "icmp-admin-prohibited, icmp6-...)");
			for (r = 0; r < N_REJECTS && strcmp(value, reject_names[r].name) != 0; r++)
				;
			if (r == N_REJECTS)
				FAIL("unknown reject type \"%s\" (tcp-reset, icmp-net-unreachable, "
				     "icmp-host-unreachable, icmp-port-unreachable, "
				     "icmp-admin-prohibited, icmp-net-prohibited, "
				     "icmp-host-prohibited, icmp6-no-route, "
				     "icmp6-addr-unreachable, icmp6-port-unreachable, "
				     "icmp6-adm-prohibited)", value);
			reject = &reject_names[r];
			out->action = reject->action;
			have_action = true;
			i++;
		} else {
			FAIL("unexpected \"%s\" (expected tcp, udp, icmp, icmpv6, ip4, ip6, sport, "
			     "dport, flags, probability, drop or reject)", word);
		}
	}
	if (!have_action)
		FAIL("no action: end the rule with drop or reject TYPE");

	/* The families: said, implied by the protocol, or both. */
	if (out->proto == NC_PROTO_ICMP || out->proto == NC_PROTO_ICMPV6) {
		unsigned implied = out->proto == NC_PROTO_ICMP ? NC_FAULT_IP4 : NC_FAULT_IP6;

		if (explicit_families && explicit_families != implied)
			FAIL("%s does not go with %s", proto_names[out->proto],
			     explicit_families == NC_FAULT_IP4 ? "ip4" : "ip6");
		explicit_families = implied;
	}
	out->families = explicit_families ? explicit_families : NC_FAULT_IP4 | NC_FAULT_IP6;
	if (reject && explicit_families && !(reject->families & explicit_families))
		FAIL("reject %s is an %s reply, and this rule is %s only (%s)", reject->name,
		     reject->families == NC_FAULT_IP4 ? "IPv4" : "IPv6",
		     explicit_families == NC_FAULT_IP4 ? "IPv4" : "IPv6",
		     explicit_families == NC_FAULT_IP4
			     ? "use the icmp-* name"
			     : "use the icmp6-* name");

	if ((out->sport.first || out->dport.first) &&
	    out->proto != NC_PROTO_TCP && out->proto != NC_PROTO_UDP)
		FAIL("sport and dport need tcp or udp");
	if (out->match_flags && out->proto != NC_PROTO_TCP)
		FAIL("flags needs tcp");
	if (out->action == NC_REJECT_TCP_RESET && out->proto != NC_PROTO_TCP)
		FAIL("reject tcp-reset needs tcp");
	return 0;
}

int nc_fault_parse(const char *text, struct nc_fault *out, char *err, size_t errsize)
{
	char copy[512], *words[64];
	int n;

	if (strlen(text) >= sizeof(copy))
		FAIL("rule too long");
	strcpy(copy, text);
	n = nc_words_split(copy, words, 64);
	if (n < 0)
		FAIL("too many words");
	return nc_fault_parse_words(words, n, out, err, errsize);
}

static void format_ports(FILE *out, const char *word, const struct nc_port_range *ports)
{
	if (!ports->first)
		return;
	fprintf(out, " %s %u", word, ports->first);
	if (ports->last != ports->first)
		fprintf(out, ":%u", ports->last);
}

int nc_fault_format(const struct nc_fault *f, char *buf, size_t size)
{
	bool implied = f->proto == NC_PROTO_ICMP || f->proto == NC_PROTO_ICMPV6;
	unsigned family = f->families == NC_FAULT_IP6 ? NC_FAULT_IP6 : NC_FAULT_IP4;
	FILE *out = fmemopen(buf, size, "w");
	int err = 0;

	if (!out)
		return -errno;
	fputs(hook_names[f->hook], out);
	if (!implied && f->families != (NC_FAULT_IP4 | NC_FAULT_IP6))
		fputs(f->families == NC_FAULT_IP4 ? " ip4" : " ip6", out);
	if (f->proto != NC_PROTO_ANY)
		fprintf(out, " %s", proto_names[f->proto]);
	format_ports(out, "sport", &f->sport);
	format_ports(out, "dport", &f->dport);
	if (f->match_flags) {
		char mask[48], comp[48];

		fprintf(out, " flags %s %s", nc_tcp_flags_text(f->flags_mask, mask, sizeof(mask)),
			nc_tcp_flags_text(f->flags_comp, comp, sizeof(comp)));
	}
	if (f->probability < 1.0)
		fprintf(out, " probability %.15g", f->probability);
	if (f->action == NC_FAULT_DROP)
		fputs(" drop", out);
	else
		fprintf(out, " reject %s", reject_name(f->action, family));
	if (ferror(out) || ftell(out) >= (long)size - 1)
		err = -ENOSPC;
	fclose(out);
	return err;
}

static bool in_range(const struct nc_port_range *range, uint16_t port)
{
	return !range->first || (port >= range->first && port <= range->last);
}

bool nc_fault_matches(const struct nc_fault *f, const struct nc_fault_packet *p)
{
	if (!(f->families & p->family))
		return false;
	if (f->proto != NC_PROTO_ANY && f->proto != p->proto)
		return false;
	if (!in_range(&f->sport, p->sport) || !in_range(&f->dport, p->dport))
		return false;
	return !f->match_flags || (p->tcp_flags & f->flags_mask) == f->flags_comp;
}

bool nc_fault_surely_drops_arriving(const struct nc_fault *f, const struct nc_fault_packet *p)
{
	return f->action == NC_FAULT_DROP && f->hook != NC_HOOK_OUTPUT && f->probability >= 1 &&
	       nc_fault_matches(f, p);
}
