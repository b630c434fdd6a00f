/* getservbyname() and getservbyport(): the struct servent of the services
 * file for proto "tcp", "udp" and NULL (any), and its static storage
 * (document section "getservbyname() 和 getservbyport()"). */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "resolver_world.h"

static const struct servent_case {
	const char *name;
	const char *service;		/* getservbyname()'s name, or NULL: by port */
	int port;			/* getservbyport()'s port, host order here */
	const char *proto;		/* "tcp", "udp" or NULL (any) */
	const char *want_name;		/* NULL: no such service */
	const char *want_aliases;
	int want_port;
	const char *want_proto;
} by_name_cases[] = {
	{ "tcp",       "nc-stream", 0, "tcp", "nc-stream", "nc-s nc-stream-alias", 4242, "tcp" },
	{ "udp",       "nc-dgram",  0, "udp", "nc-dgram",  "nc-d",                 4243, "udp" },
	/* NULL: the first line of the file with that name, whatever its proto. */
	{ "any",       "nc-dgram",  0, NULL,  "nc-dgram",  "nc-d",                 4243, "udp" },
	{ "any-first", "nc-both",   0, NULL,  "nc-both",   "",                     4244, "tcp" },
	{ "alias",     "nc-s",      0, "tcp", "nc-stream", "nc-s nc-stream-alias", 4242, "tcp" },
	{ "alias-any", "nc-d",      0, NULL,  "nc-dgram",  "nc-d",                 4243, "udp" },
	/* nc-split: 4245 over tcp, 4246 over udp; the proto asked picks the port */
	{ "tcp-split", "nc-split",  0, "tcp", "nc-split",  "nc-sp",                4245, "tcp" },
	{ "udp-split", "nc-split",  0, "udp", "nc-split",  "nc-sp",                4246, "udp" },
	{ "any-split", "nc-split",  0, NULL,  "nc-split",  "nc-sp",                4245, "tcp" },
	{ "alias-udp-split", "nc-sp", 0, "udp", "nc-split", "nc-sp",               4246, "udp" },
	/* the edges: the last privileged port, the first free one, the last */
	{ "port-1023", "nc-low",    0, "tcp", "nc-low",    "",                     1023, "tcp" },
	{ "port-1024", "nc-high",   0, "tcp", "nc-high",   "",                     1024, "tcp" },
	{ "port-65535", "nc-top",   0, NULL,  "nc-top",    "nc-last",             65535, "tcp" },
}, by_port_cases[] = {
	{ "tcp", NULL, 4242, "tcp", "nc-stream", "nc-s nc-stream-alias", 4242, "tcp" },
	{ "udp", NULL, 4243, "udp", "nc-dgram",  "nc-d",                 4243, "udp" },
	{ "any", NULL, 4243, NULL,  "nc-dgram",  "nc-d",                 4243, "udp" },
	/* One port, two services: the proto picks. */
	{ "tcp-512", NULL, 512, "tcp", "exec", "",       512, "tcp" },
	{ "udp-512", NULL, 512, "udp", "biff", "comsat", 512, "udp" },
	/* NULL: the first line of the file with that port, whatever its proto */
	{ "any-512", NULL, 512, NULL,  "exec", "",       512, "tcp" },
	{ "udp-split", NULL, 4246, "udp", "nc-split", "nc-sp", 4246, "udp" },
	{ "any-split", NULL, 4246, NULL,  "nc-split", "nc-sp", 4246, "udp" },
	{ "port-1023", NULL, 1023, "tcp", "nc-low", "", 1023, "tcp" },
	{ "port-1024", NULL, 1024, NULL,  "nc-high", "", 1024, "tcp" },
	{ "port-65535", NULL, 65535, "tcp", "nc-top", "nc-last", 65535, "tcp" },
}, unknown_cases[] = {
	/* ssh is in every machine's /etc/services, never in the check's. */
	{ "name-elsewhere", "ssh",        0,    "tcp", NULL, NULL, 0, NULL },
	{ "name-unknown",   "no-such",    0,    NULL,  NULL, NULL, 0, NULL },
	{ "name-other-proto", "nc-dgram", 0,    "tcp", NULL, NULL, 0, NULL },
	{ "port-unknown",   NULL,         4999, NULL,  NULL, NULL, 0, NULL },
	{ "port-other-proto", NULL,       4242, "udp", NULL, NULL, 0, NULL },
	{ "port-split-other-proto", NULL, 4246, "tcp", NULL, NULL, 0, NULL },
	{ "port-0",         NULL,         0,    NULL,  NULL, NULL, 0, NULL },
	/* a name matches whole: not the beginning of one, nor one longer */
	{ "name-prefix",    "nc-strea",   0,    "tcp", NULL, NULL, 0, NULL },
	{ "name-longer",    "nc-streams", 0,    "tcp", NULL, NULL, 0, NULL },
	/* a number is no service's name, though 4242 is nc-stream's port */
	{ "name-number",    "4242",       0,    "tcp", NULL, NULL, 0, NULL },
	{ "name-number-any", "80",        0,    NULL,  NULL, NULL, 0, NULL },
	/* htons(37392) is 4242: the port of nc-stream passed in host order. */
	{ "port-host-order", NULL,        37392, "tcp", NULL, NULL, 0, NULL },
};

static struct servent *lookup(const struct servent_case *c)
{
	/* getservbyport() takes the port as s_port holds it: network order. */
	if (c->service)
		return getservbyname(c->service, c->proto);
	return getservbyport((int)htons((uint16_t)c->port), c->proto);
}

static void servent_is(const struct nc_case_ctx *ctx)
{
	const struct servent_case *c = ctx->data;
	struct nc_resolver resolver;
	struct servent *s;
	char aliases[256];

	world_enter(ctx, &world_files, &resolver);
	s = lookup(c);
	if (!c->want_name) {
		NC_EXPECT_STR("servent", s ? s->s_name : "NULL", "NULL");
		return;
	}
	if (!s)
		nc_fatal("lookup of %s/%s = NULL", c->service ? c->service : "port",
			 c->proto ? c->proto : "NULL");
	NC_EXPECT_STR("s_name", s->s_name, c->want_name);
	NC_EXPECT_STR("s_aliases", world_list_str(s->s_aliases, aliases, sizeof(aliases)),
			 c->want_aliases);
	NC_EXPECT_STR("s_proto", s->s_proto, c->want_proto);
	/* in network byte order */
	NC_EXPECT_INT("s_port", s->s_port, htons((uint16_t)c->want_port));
}

/* A check whose cases servent_is() runs. */
#define SERVENT_CHECK(name_, clauses_, table, covers_, what)		\
	NC_CHECK(servent, name_) = {					\
		.summary = what,					\
		.covers = covers_,					\
		.clauses = clauses_,					\
		NC_CASES(table),					\
		.run = servent_is,					\
		.deadline_ms = 3000,					\
	}
/* What a servent found is: every field of it. */
#define SERVENT_FIELDS NC_CLAUSES("servent-2", "servent-3", "servent-4", "servent-5", \
				  "servent-6", "servent-7", "servent-8")

SERVENT_CHECK(by_name, SERVENT_FIELDS, by_name_cases,
	      "form:official,alias,tcp,udp,null boundary:1023,1024,65535 field:s_name,s_aliases,s_port,s_proto",
	      "getservbyname() with proto \"tcp\", \"udp\" or NULL gives s_name, s_aliases, s_port (network byte order) and s_proto from the services file");
SERVENT_CHECK(by_port, SERVENT_FIELDS, by_port_cases,
	      "form:number,tcp,udp,null boundary:1023,1024,65535 field:s_name,s_aliases,s_port,s_proto",
	      "getservbyport() of a port in network byte order with proto \"tcp\", \"udp\" or NULL gives that service's servent");
SERVENT_CHECK(unknown, NC_CLAUSES("servent-2", "servent-3", "servent-4", "servent-5", "servent-7"),
	      unknown_cases, "form:number,tcp,udp,null boundary:0",
	      "an unknown service name or port, or one known only for the other proto, gives NULL; so do the beginning of a name, a port in host byte order, port 0 and a number given as a name");

static const struct static_case {
	const char *name;
	bool by_port;
} static_cases[] = {
	{ "by_name", false },
	{ "by_port", true },
};

/* Not reentrant: the second call returns the same static servent and
 * overwrites what the first returned. */
static void servent_is_static(const struct nc_case_ctx *ctx)
{
	const struct static_case *c = ctx->data;
	struct nc_resolver resolver;
	struct servent *first, *second;
	char aliases[256];

	world_enter(ctx, &world_files, &resolver);
	first = c->by_port ? getservbyport(htons(4242), "tcp") : getservbyname("nc-stream", "tcp");
	if (!first)
		nc_fatal("first lookup = NULL");
	NC_EXPECT_STR(NC_KEY(s_name_of_the_first_call, "s_name of the first call"),
		      first->s_name, "nc-stream");
	second = c->by_port ? getservbyport(htons(4243), "udp") : getservbyname("nc-dgram", "udp");
	if (!second)
		nc_fatal("second lookup = NULL");
	NC_EXPECT_STR("same_storage", first == second ? "yes" : "no", "yes");
	/* through the first pointer only while it is the second's storage */
	if (first == second)
		NC_EXPECT_STR(NC_KEY(s_name_first_after_second,
				     "s_name of the first result after the second call"),
			      first->s_name,
			      "nc-dgram");
	/* overwritten whole: nothing of the first service left in the second */
	NC_EXPECT_STR(NC_KEY(s_aliases_of_the_second_call, "s_aliases of the second call"),
		      world_list_str(second->s_aliases, aliases, sizeof(aliases)), "nc-d");
	NC_EXPECT_INT(NC_KEY(s_port_of_the_second_call, "s_port of the second call"),
		      second->s_port, htons(4243));
	NC_EXPECT_STR(NC_KEY(s_proto_of_the_second_call, "s_proto of the second call"),
		      second->s_proto, "udp");
}

NC_CHECK(servent, static_storage) = {
	.summary = "getservbyname() and getservbyport() are not reentrant: a second call returns the same static servent, overwriting the first result whole (name, aliases, port, proto)",
	.clauses = NC_CLAUSES("servent-1"),
	NC_CASES(static_cases),
	.run = servent_is_static,
	.deadline_ms = 3000,
	.covers = "sequence:after-success",
};
