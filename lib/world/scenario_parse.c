/* The scenario parser (syntax: scenarios/README.md).  Everything is checked
 * here, before any namespace exists, so that a wrong scenario is one clear
 * "file:line: what is wrong" and never a half-built network. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cidr.h"
#include "file.h"
#include "scenario_parse.h"
#include "sysctl.h"
#include "words.h"

#define MAX_WORDS 64

struct parser {
	struct nc_scenario *scn;
	int line;
	char *err;
	size_t errsize;
};

static int __attribute__((format(printf, 2, 3))) fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errsize, "%s:%d: ", p->scn->path, p->line);
	if (n < 0 || (size_t)n >= p->errsize)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errsize - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Appends one zeroed element to *array; NULL when out of memory. */
static void *push(void *array_ptr, size_t *n, size_t size)
{
	void **array = array_ptr;
	char *grown = realloc(*array, (*n + 1) * size);

	if (!grown)
		return NULL;
	*array = grown;
	memset(grown + *n * size, 0, size);
	return grown + (*n)++ * size;
}

#define PUSH(p, field) ({						\
	__typeof__((p)->scn->field) e_ = push(&(p)->scn->field, &(p)->scn->n_##field, \
					      sizeof(*(p)->scn->field)); \
	if (e_)								\
		e_->line = (p)->line;					\
	e_;								\
})

/* --- Names --- */

/* A letter, then letters, digits, _ or -, shorter than size, none of reserved. */
static bool valid_name(const char *name, size_t size, const char *const *reserved)
{
	size_t len = strlen(name);

	if (len == 0 || len >= size || !((name[0] >= 'a' && name[0] <= 'z') ||
						  (name[0] >= 'A' && name[0] <= 'Z')))
		return false;
	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != len)
		return false;
	for (size_t i = 0; reserved[i]; i++)
		if (strcmp(name, reserved[i]) == 0)
			return false;
	return true;
}

static const char *const reserved_hosts[] = { "lo", "all", "default", NULL };
static const char *const reserved_faults[] = { "input", "output", "forward", NULL };

static int host_of(struct parser *p, const char *name)
{
	int host = nc_scenario_host(p->scn, name);

	if (host < 0)
		fail(p, "unknown host \"%s\" (hosts are declared by a netns line before use)", name);
	return host;
}

static int copy_word(struct parser *p, char *dst, size_t size, const char *word, const char *what)
{
	if (strlen(word) >= size)
		return fail(p, "%s \"%s\" is too long", what, word);
	strcpy(dst, word);
	return 0;
}

/* --- Statements --- */

static int parse_netns(struct parser *p, char **w, int n)
{
	if (n < 2)
		return fail(p, "netns: expected \"netns HOST...\"");
	for (int i = 1; i < n; i++) {
		struct nc_scn_host *h;
		int other = nc_scenario_host(p->scn, w[i]);

		if (!valid_name(w[i], NC_NAME_SIZE, reserved_hosts))
			return fail(p, "netns: bad host name \"%s\" (a letter, then letters, "
				    "digits, _ or -, at most %d; not lo, all or default)",
				    w[i], NC_NAME_SIZE - 1);
		if (other >= 0)
			return fail(p, "duplicate host \"%s\" (declared on line %d)", w[i],
				    p->scn->hosts[other].line);
		h = PUSH(p, hosts);
		if (!h)
			return fail(p, "out of memory");
		strcpy(h->name, w[i]);
	}
	return 0;
}

static int parse_link(struct parser *p, char **w, int n)
{
	struct nc_scn_link *l;
	int a, b;

	if (n != 4)
		return fail(p, "link: expected \"link veth HOST_A HOST_B\"");
	if (strcmp(w[1], "veth") != 0)
		return fail(p, "link: unknown link type \"%s\" (only veth)", w[1]);
	if ((a = host_of(p, w[2])) < 0 || (b = host_of(p, w[3])) < 0)
		return -1;
	if (a == b)
		return fail(p, "link: host \"%s\" cannot link to itself", w[2]);
	for (size_t i = 0; i < p->scn->n_links; i++) {
		const struct nc_scn_link *o = &p->scn->links[i];

		if ((o->host_a == a && o->host_b == b) || (o->host_a == b && o->host_b == a))
			return fail(p, "link: %s and %s are already linked (line %d)",
				    w[2], w[3], o->line);
	}
	l = PUSH(p, links);
	if (!l)
		return fail(p, "out of memory");
	l->host_a = a;
	l->host_b = b;
	return 0;
}

static int parse_addr(struct parser *p, char **w, int n)
{
	const char *ifname = "";
	int host, first = 2, count = 0;
	char why[160];

	if (n < 3)
		return fail(p, "addr: expected \"addr HOST [dev IFNAME] CIDR... [nodad]\"");
	if ((host = host_of(p, w[1])) < 0)
		return -1;
	if (strcmp(w[2], "dev") == 0) {
		if (n < 5)
			return fail(p, "addr: expected \"addr HOST dev IFNAME CIDR...\"");
		ifname = w[3];
		first = 4;
	}
	for (int i = first; i < n; i++) {
		unsigned char bytes[16];
		struct nc_scn_addr *a;
		int family, prefix;

		if (strcmp(w[i], "nodad") == 0)	/* IPv6 addresses get it anyway */
			continue;
		if (nc_cidr_parse(w[i], &family, bytes, &prefix, why, sizeof(why)) < 0)
			return fail(p, "addr: %s", why);
		if (!nc_cidr_allowed(family, bytes, prefix))
			return fail(p, "addr: %s is outside the allowed ranges (" NC_CIDR_ALLOWED_TEXT ")",
				    w[i]);
		for (size_t j = 0; j < p->scn->n_addrs; j++) {
			const struct nc_scn_addr *o = &p->scn->addrs[j];

			if (o->host == host && strcmp(o->cidr, w[i]) == 0)
				return fail(p, "addr: %s is already on %s (line %d)",
					    w[i], w[1], o->line);
		}
		a = PUSH(p, addrs);
		if (!a)
			return fail(p, "out of memory");
		a->host = host;
		a->family = family;
		if (copy_word(p, a->cidr, sizeof(a->cidr), w[i], "address") < 0 ||
		    copy_word(p, a->ifname, sizeof(a->ifname), ifname, "interface") < 0)
			return -1;
		count++;
	}
	if (count == 0)
		return fail(p, "addr: no address given");
	return 0;
}

/* "default", "203.0.113.0/24": the family, and the destination as a CIDR. */
static int parse_dest(struct parser *p, const char *word, int default_family,
		      int *family, char *cidr, size_t size)
{
	unsigned char bytes[16], masked[16];
	int prefix;
	char why[160];

	if (strcmp(word, "default") == 0) {
		*family = default_family;
		snprintf(cidr, size, "%s", default_family == AF_INET6 ? "::/0" : "0.0.0.0/0");
		return 0;
	}
	if (nc_cidr_parse(word, family, bytes, &prefix, why, sizeof(why)) < 0)
		return fail(p, "route: %s", why);
	if (prefix > 0 && !nc_cidr_allowed(*family, bytes, prefix))
		return fail(p, "route: %s is outside the allowed ranges (" NC_CIDR_ALLOWED_TEXT ")", word);
	memset(masked, 0, sizeof(masked));
	memcpy(masked, bytes, (size_t)prefix / 8);
	if (prefix % 8)
		masked[prefix / 8] = bytes[prefix / 8] & (0xff << (8 - prefix % 8));
	if (memcmp(masked, bytes, 16) != 0) {
		char net[INET6_ADDRSTRLEN];

		inet_ntop(*family, masked, net, sizeof(net));
		return fail(p, "route: %s has host bits set (the network is %s/%d)",
			    word, net, prefix);
	}
	return copy_word(p, cidr, size, word, "destination");
}

static int parse_route(struct parser *p, char **w, int n)
{
	static const struct {
		const char *word;
		unsigned char type;
	} types[] = {
		{ "unreachable", RTN_UNREACHABLE },
		{ "prohibit", RTN_PROHIBIT },
		{ "blackhole", RTN_BLACKHOLE },
	};
	struct nc_scn_route *r;
	int host, i;

	if (n < 3)
		return fail(p, "route: expected \"route HOST DEST [via GW] [dev IFNAME]\" or "
			    "\"route HOST unreachable|prohibit|blackhole DEST\"");
	if ((host = host_of(p, w[1])) < 0)
		return -1;
	r = PUSH(p, routes);
	if (!r)
		return fail(p, "out of memory");
	r->host = host;
	r->type = RTN_UNICAST;
	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		if (strcmp(w[2], types[t].word) != 0)
			continue;
		if (n != 4)
			return fail(p, "route: expected \"route HOST %s DEST\"", w[2]);
		r->type = types[t].type;
		return parse_dest(p, w[3], AF_INET, &r->family, r->dest, sizeof(r->dest));
	}
	/* unicast: DEST [via GW] [dev IFNAME] */
	int via_family = AF_INET;
	for (i = 3; i < n; i += 2) {
		unsigned char gw[16];

		if (i + 1 >= n)
			return fail(p, "route: \"%s\" needs a value", w[i]);
		if (strcmp(w[i], "via") == 0) {
			if (nc_ip_parse(w[i + 1], &via_family, gw) < 0)
				return fail(p, "route: bad gateway \"%s\" (an address, no /prefix)",
					    w[i + 1]);
			if (!nc_cidr_allowed(via_family, gw, via_family == AF_INET ? 32 : 128))
				return fail(p, "route: gateway %s is outside the allowed ranges ("
					    NC_CIDR_ALLOWED_TEXT ")", w[i + 1]);
			if (copy_word(p, r->via, sizeof(r->via), w[i + 1], "gateway") < 0)
				return -1;
		} else if (strcmp(w[i], "dev") == 0) {
			if (copy_word(p, r->ifname, sizeof(r->ifname), w[i + 1], "interface") < 0)
				return -1;
		} else {
			return fail(p, "route: unexpected \"%s\" (expected via or dev)", w[i]);
		}
	}
	if (parse_dest(p, w[2], via_family, &r->family, r->dest, sizeof(r->dest)) < 0)
		return -1;
	if (r->via[0] && r->family != via_family)
		return fail(p, "route: gateway %s is not of the family of %s", r->via, w[2]);
	return 0;
}

static int parse_sysctl(struct parser *p, char **w, int n)
{
	struct nc_scn_sysctl *s;
	char value[NC_SYSCTL_VALUE_SIZE] = "", why[200];
	int host;

	if (n < 4)
		return fail(p, "sysctl: expected \"sysctl HOST NAME VALUE\"");
	if ((host = host_of(p, w[1])) < 0)
		return -1;
	for (int i = 3; i < n; i++) {	/* ip_local_port_range takes two numbers */
		if (strlen(value) + strlen(w[i]) + 2 > sizeof(value))
			return fail(p, "sysctl: value too long");
		if (i > 3)
			strcat(value, " ");
		strcat(value, w[i]);
	}
	if (nc_sysctl_check(w[2], value, why, sizeof(why)) < 0)
		return fail(p, "sysctl: %s", why);
	s = PUSH(p, sysctls);
	if (!s)
		return fail(p, "out of memory");
	s->host = host;
	strcpy(s->name, w[2]);	/* checked: known names are short */
	strcpy(s->value, value);
	return 0;
}

static int parse_fault(struct parser *p, char **w, int n)
{
	struct nc_scn_fault *f;
	struct nc_fault rule;
	char why[200];
	int host;

	if (n < 4)
		return fail(p, "fault: expected \"fault HOST NAME input|output|forward [MATCH...] "
			    "drop|reject TYPE\"");
	if ((host = host_of(p, w[1])) < 0)
		return -1;
	if (!valid_name(w[2], NC_FAULT_NAME_SIZE, reserved_faults))
		return fail(p, "fault: name the fault after its host (\"fault %s syn-drop input "
			    "...\"): a letter, then letters, digits, _ or -, at most %d; checks "
			    "find it by that name", w[1], NC_FAULT_NAME_SIZE - 1);
	for (size_t i = 0; i < p->scn->n_faults; i++)
		if (strcmp(p->scn->faults[i].name, w[2]) == 0)
			return fail(p, "fault: duplicate fault name \"%s\" (line %d)", w[2],
				    p->scn->faults[i].line);
	if (nc_fault_parse_words(w + 3, n - 3, &rule, why, sizeof(why)) < 0)
		return fail(p, "fault %s: %s", w[2], why);
	f = PUSH(p, faults);
	if (!f)
		return fail(p, "out of memory");
	f->host = host;
	strcpy(f->name, w[2]);
	f->rule = rule;
	return 0;
}

static int parse_netem(struct parser *p, char **w, int n)
{
	struct nc_scn_netem *ne;
	struct nc_netem netem;
	char why[200];
	int host;

	if (n < 5)
		return fail(p, "netem: expected \"netem HOST IFNAME delay TIME [jitter TIME] "
			    "[loss P%%] [duplicate P%%] [reorder P%%] [rate RATE]\"");
	if ((host = host_of(p, w[1])) < 0)
		return -1;
	if (nc_netem_parse_words(w + 3, n - 3, &netem, why, sizeof(why)) < 0)
		return fail(p, "netem: %s", why);
	ne = PUSH(p, netems);
	if (!ne)
		return fail(p, "out of memory");
	ne->host = host;
	ne->netem = netem;
	return copy_word(p, ne->ifname, sizeof(ne->ifname), w[2], "interface");
}

/* Interfaces can be named before the link that makes them: checked at the end. */
static int resolve_interfaces(struct parser *p)
{
	struct nc_scenario *scn = p->scn;

	for (size_t i = 0; i < scn->n_addrs; i++) {
		struct nc_scn_addr *a = &scn->addrs[i];
		const char *host = scn->hosts[a->host].name, *only = NULL;
		size_t links = nc_scenario_links(scn, a->host, &only);

		p->line = a->line;
		if (a->ifname[0]) {
			if (!nc_scenario_has_interface(scn, a->host, a->ifname))
				return fail(p, "addr: %s has no interface \"%s\" (its veths are "
					    "named after their peers)", host, a->ifname);
		} else if (links == 0) {
			strcpy(a->ifname, "lo");
		} else if (links == 1) {
			strcpy(a->ifname, only);
		} else {
			return fail(p, "addr: %s has %zu links: say which with \"addr %s dev "
				    "IFNAME ...\"", host, links, host);
		}
	}
	for (size_t i = 0; i < scn->n_routes; i++) {
		struct nc_scn_route *r = &scn->routes[i];

		const char *only = NULL;
		size_t links = nc_scenario_links(scn, r->host, &only);

		p->line = r->line;
		if (r->ifname[0] && !nc_scenario_has_interface(scn, r->host, r->ifname))
			return fail(p, "route: %s has no interface \"%s\"",
				    scn->hosts[r->host].name, r->ifname);
		/* a route with neither gateway nor device: the host's only link */
		if (r->type == RTN_UNICAST && !r->via[0] && !r->ifname[0]) {
			if (links != 1)
				return fail(p, "route: %s has %zu links: say which with "
					    "\"dev IFNAME\" (or give a gateway with via)",
					    scn->hosts[r->host].name, links);
			strcpy(r->ifname, only);
		}
	}
	for (size_t i = 0; i < scn->n_sysctls; i++) {
		const struct nc_scn_sysctl *s = &scn->sysctls[i];
		char ifname[NC_NAME_SIZE];
		const char *dev = nc_sysctl_interface(s->name, ifname, sizeof(ifname));

		p->line = s->line;
		if (dev && strcmp(dev, "all") != 0 && strcmp(dev, "default") != 0 &&
		    !nc_scenario_has_interface(scn, s->host, dev))
			return fail(p, "sysctl: %s has no interface \"%s\" (its veths are named "
				    "after their peers)", scn->hosts[s->host].name, dev);
	}
	for (size_t i = 0; i < scn->n_netems; i++) {
		const struct nc_scn_netem *ne = &scn->netems[i];

		p->line = ne->line;
		if (!nc_scenario_has_interface(scn, ne->host, ne->ifname))
			return fail(p, "netem: %s has no interface \"%s\"",
				    scn->hosts[ne->host].name, ne->ifname);
	}
	return 0;
}

static const struct statement {
	const char *word;
	int (*parse)(struct parser *p, char **words, int n_words);
} statements[] = {
	{ "netns", parse_netns },
	{ "link", parse_link },
	{ "addr", parse_addr },
	{ "route", parse_route },
	{ "sysctl", parse_sysctl },
	{ "fault", parse_fault },
	{ "netem", parse_netem },
};

static int parse_line(struct parser *p, char *line)
{
	char *words[MAX_WORDS];
	int n = nc_words_split(line, words, MAX_WORDS);

	if (n < 0)
		return fail(p, "too many words (at most %d)", MAX_WORDS);
	if (n == 0)
		return 0;
	for (size_t i = 0; i < sizeof(statements) / sizeof(statements[0]); i++)
		if (strcmp(words[0], statements[i].word) == 0)
			return statements[i].parse(p, words, n);
	return fail(p, "unknown statement \"%s\" (expected netns, link, addr, route, "
		    "sysctl, fault or netem)", words[0]);
}

int nc_scenario_parse(const char *name, const char *text, struct nc_scenario **out,
		      char *err, size_t errsize)
{
	struct parser p = { .err = err, .errsize = errsize };
	char *copy = strdup(text), *line, *next;

	*out = NULL;
	p.scn = calloc(1, sizeof(*p.scn));
	if (!copy || !p.scn || !(p.scn->path = strdup(name))) {
		snprintf(err, errsize, "%s: out of memory", name);
		goto fail;
	}
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		p.line++;
		if (parse_line(&p, line) < 0)
			goto fail;
	}
	if (p.scn->n_hosts == 0) {
		snprintf(err, errsize, "%s: no hosts: a scenario needs a netns line", name);
		goto fail;
	}
	if (resolve_interfaces(&p) < 0)
		goto fail;
	free(copy);
	*out = p.scn;
	return 0;
fail:
	free(copy);
	nc_scenario_free(p.scn);
	return -1;
}

int nc_scenario_load(const char *path, struct nc_scenario **out, char *err, size_t errsize)
{
	char *text;
	int ret = nc_file_read_text(path, NC_TEXT_INPUT_MAX, &text);

	*out = NULL;
	if (ret < 0) {
		snprintf(err, errsize, "%s: %s", path, nc_file_input_error(ret));
		return -1;
	}
	ret = nc_scenario_parse(path, text, out, err, errsize);
	free(text);
	return ret;
}
