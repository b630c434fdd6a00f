/* A lookup after another: each resolver call answers its own question
 * whatever the call before it answered, a success after a failure, a
 * failure after a success, one failure after another (document sections
 * "gethostbyname() 和 gethostbyaddr()", "getservbyname() 和 getservbyport()",
 * "getaddrinfo() 和 getnameinfo()").  No answer, no h_errno, no error code
 * of the first call may leak into the second. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolver_world.h"
#include "sockaddr.h"

/* Two questions in a row and the answer each must get. */
struct sequence_case {
	const char *name;
	const char *first, *first_want;
	const char *second, *second_want;
};

/* The answer to a question, as text a case can hold. */
typedef void answer_fn(const char *question, char *got, size_t size);

/* gethostbyaddr() for an address, gethostbyname() for a name: "h_name
 * family/length addresses", or "NULL h_errno".  (Its aliases are
 * hostent.by_name's and by_addr's to judge.) */
static void hostent_answer(const char *question, char *got, size_t size)
{
	unsigned char raw[16];
	int family = inet_pton(AF_INET, question, raw) == 1 ? AF_INET :
		     inet_pton(AF_INET6, question, raw) == 1 ? AF_INET6 : 0;
	struct hostent *h;
	char addrs[256] = "", text[INET6_ADDRSTRLEN];
	size_t used = 0;

	h_errno = 0;
	h = family ? gethostbyaddr(raw, family == AF_INET ? 4 : 16, family) :
		     gethostbyname(question);
	if (!h) {
		snprintf(got, size, "NULL %s", world_h_errno_name(h_errno));
		return;
	}
	for (size_t i = 0; h->h_addr_list[i] && used < sizeof(addrs); i++)
		used += (size_t)snprintf(addrs + used, sizeof(addrs) - used, " %s",
					 world_addr_str(h->h_addrtype, h->h_addr_list[i], text,
							sizeof(text)));
	snprintf(got, size, "%s %s/%d%s", h->h_name,
		 h->h_addrtype == AF_INET ? "AF_INET" : h->h_addrtype == AF_INET6 ? "AF_INET6" : "?",
		 h->h_length, addrs);
}

/* "NAME/PROTO" by name, "PORT/PROTO" by port (proto "any": NULL):
 * "s_name port/s_proto", or "NULL".  (Its aliases are servent.by_name's and
 * by_port's to judge.) */
static void servent_answer(const char *question, char *got, size_t size)
{
	char what[64];
	const char *proto;
	struct servent *s;
	char *slash;

	snprintf(what, sizeof(what), "%s", question);
	slash = strchr(what, '/');
	if (!slash)
		nc_fatal("the case's question %s has no /PROTO", question);
	*slash = '\0';
	proto = strcmp(slash + 1, "any") == 0 ? NULL : slash + 1;
	if (what[0] >= '0' && what[0] <= '9')
		s = getservbyport((int)htons((uint16_t)atoi(what)), proto);
	else
		s = getservbyname(what, proto);
	if (!s) {
		snprintf(got, size, "NULL");
		return;
	}
	snprintf(got, size, "%s %d/%s", s->s_name,
		 (s->s_port & ~0xffff) ? -1 : ntohs((uint16_t)s->s_port),	/* a short's sign */
		 s->s_proto ? s->s_proto : "(null)");
}

/* A host name, its http service over TCP and IPv4: the addresses
 * (world_addrinfo_str()), or the EAI_* code. */
static void addrinfo_answer(const char *question, char *got, size_t size)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	int code = getaddrinfo(question, "http", &hints, &res);

	if (code != 0) {
		snprintf(got, size, "%s", nc_eai_name(code));
		return;
	}
	world_addrinfo_str(res, got, size);
	freeaddrinfo(res);
}

/* An address and port: "host serv", or the EAI_* code. */
static void nameinfo_answer(const char *question, char *got, size_t size)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];
	struct nc_sockaddr addr;
	int code;

	if (nc_sockaddr_parse(question, &addr) < 0)
		nc_fatal("the case's question %s is no address", question);
	code = getnameinfo(&addr.sa, addr.len, host, sizeof(host), serv, sizeof(serv), 0);
	if (code != 0)
		snprintf(got, size, "%s", nc_eai_name(code));
	else
		snprintf(got, size, "%s %s", host, serv);
}

/* The case's two questions in turn, each answer checked whole. */
static void answers_in_turn(const struct nc_case_ctx *ctx, answer_fn *answer)
{
	const struct sequence_case *c = ctx->data;
	struct nc_resolver resolver;
	char got[768];

	world_enter(ctx, &world_loopback, &resolver);
	answer(c->first, got, sizeof(got));
	NC_EXPECT_STR(NC_KEY(first_answer, "first answer"), got, c->first_want);
	answer(c->second, got, sizeof(got));
	NC_EXPECT_STR(NC_KEY(second_answer, "second answer"), got, c->second_want);
}

static void hostent_in_turn(const struct nc_case_ctx *ctx)
{
	answers_in_turn(ctx, hostent_answer);
}

static void servent_in_turn(const struct nc_case_ctx *ctx)
{
	answers_in_turn(ctx, servent_answer);
}

static void addrinfo_in_turn(const struct nc_case_ctx *ctx)
{
	answers_in_turn(ctx, addrinfo_answer);
}

static void nameinfo_in_turn(const struct nc_case_ctx *ctx)
{
	answers_in_turn(ctx, nameinfo_answer);
}

#define FILES_HOST "files-host.example.test AF_INET/4 198.51.100.1 198.51.100.2"
#define FILES_HOST_BY_ADDR "files-host.example.test AF_INET/4 198.51.100.1"
#define OTHER_HOST "other-host.example.test AF_INET/4 198.51.100.3"

static const struct sequence_case hostent_cases[] = {
	{ "name-success-then-failure", "files-host.example.test", FILES_HOST,
	  "nx.example.test", "NULL HOST_NOT_FOUND" },
	{ "name-failure-then-success", "nx.example.test", "NULL HOST_NOT_FOUND",
	  "files-host.example.test", FILES_HOST },
	{ "name-success-then-success", "files-host.example.test", FILES_HOST,
	  "other-host.example.test", OTHER_HOST },
	/* the second failure's own h_errno, not the first's */
	{ "name-failure-then-failure", "servfail.example.test", "NULL TRY_AGAIN",
	  "nx.example.test", "NULL HOST_NOT_FOUND" },
	{ "addr-success-then-failure", "198.51.100.1", FILES_HOST_BY_ADDR,
	  "198.51.100.99", "NULL HOST_NOT_FOUND" },
	{ "addr-failure-then-success", "198.51.100.99", "NULL HOST_NOT_FOUND",
	  "198.51.100.1", FILES_HOST_BY_ADDR },
};

NC_CHECK(hostent, after_lookup) = {
	.summary = "gethostbyname() and gethostbyaddr() answer each call's own question: a failure after a success is NULL with its own h_errno, a success after a failure the whole hostent",
	.clauses = NC_CLAUSES("hostent-2", "hostent-3", "hostent-5", "hostent-6", "hostent-9"),
	NC_CASES(hostent_cases),
	.run = hostent_in_turn,
	.deadline_ms = 6000,
	.longest_timer_ms = WORLD_TIMEOUT_MS,
	.covers = "sequence:after-failure,after-success",
};

#define NC_STREAM "nc-stream 4242/tcp"

static const struct sequence_case servent_cases[] = {
	{ "name-success-then-failure", "nc-stream/tcp", NC_STREAM, "no-such/tcp", "NULL" },
	{ "name-failure-then-success", "no-such/tcp", "NULL", "nc-stream/tcp", NC_STREAM },
	{ "port-success-then-failure", "4242/tcp", NC_STREAM, "4999/any", "NULL" },
	{ "port-failure-then-success", "4999/any", "NULL", "4242/tcp", NC_STREAM },
	{ "name-then-port", "nc-dgram/udp", "nc-dgram 4243/udp", "512/udp",
	  "biff 512/udp" },
};

NC_CHECK(servent, after_lookup) = {
	.summary = "getservbyname() and getservbyport() answer each call's own question: NULL after a success, the whole servent after a failure",
	.clauses = NC_CLAUSES("servent-5", "servent-6", "servent-7", "servent-8"),
	NC_CASES(servent_cases),
	.run = servent_in_turn,
	.deadline_ms = 3000,
	.covers = "sequence:after-failure,after-success",
};

#define FILES_HOST_HTTP "198.51.100.1:80 stream/tcp, 198.51.100.2:80 stream/tcp"

static const struct sequence_case addrinfo_cases[] = {
	{ "success-then-failure", "files-host.example.test", FILES_HOST_HTTP,
	  "nx.example.test", "EAI_NONAME" },
	{ "failure-then-success", "nx.example.test", "EAI_NONAME",
	  "files-host.example.test", FILES_HOST_HTTP },
	/* absolute names: the search list would end SERVFAIL's query in NXDOMAIN */
	{ "failure-then-failure", "servfail.example.test.", "EAI_AGAIN",
	  "nx.example.test.", "EAI_NONAME" },
};

NC_CHECK(getaddrinfo, after_lookup) = {
	.summary = "getaddrinfo() answers each call's own question: its own error after a success or another error, the addresses after a failure",
	.clauses = NC_CLAUSES("getaddrinfo-1", "gai-1", "gai-eai-noname", "gai-eai-again"),
	NC_CASES(addrinfo_cases),
	.run = addrinfo_in_turn,
	.deadline_ms = 6000,
	.longest_timer_ms = WORLD_TIMEOUT_MS,
	.covers = "sequence:after-failure,after-success",
};

static const struct sequence_case nameinfo_cases[] = {
	{ "name-then-no-name", "198.51.100.1:80", "files-host.example.test http",
	  "198.51.100.99:4999", "198.51.100.99 4999" },
	{ "no-name-then-name", "198.51.100.99:4999", "198.51.100.99 4999",
	  "198.51.100.1:80", "files-host.example.test http" },
};

NC_CHECK(getnameinfo, after_lookup) = {
	.summary = "getnameinfo() answers each call's own question: the numeric forms after a name, the name after the numeric forms",
	.clauses = NC_CLAUSES("getnameinfo-1", "getnameinfo-2"),
	NC_CASES(nameinfo_cases),
	.run = nameinfo_in_turn,
	.deadline_ms = 3000,
	.covers = "sequence:after-failure,after-success",
};
