/* getaddrinfo() asked one case's question, its answer compared with the
 * case's (suite/getaddrinfo_gives.c): the rows of the tables of
 * getaddrinfo.c and getaddrinfo_eai.c, and the bodies that run them. */
#ifndef NC_GETADDRINFO_GIVES_H
#define NC_GETADDRINFO_GIVES_H

#include <stdbool.h>

#include "check.h"
#include "resolver_world.h"	/* WORLD_TIMEOUT_MS, ANSWERED_MS and the slack */

struct gai_case {
	const char *name;
	const char *host, *service;
	int family, socktype, protocol, flags;
	bool no_hints;			/* hints NULL (the fields above unused) */
	int want_eai;			/* 0: success */
	const char *want;		/* world_addrinfo_str() of the result */
	const char *want_canon;		/* ai_canonname, with AI_CANONNAME */
	bool no_dns;			/* the DNS server must see no query */
	bool asks_dns;			/* the DNS server must see a query (how many: observed) */
	long min_ms, max_ms;		/* bounds of the call's duration (max 0: none) */
	/* The AAAA queries a dropped AAAA may cost, a fact no load and no
	 * deadline scale stretches: "timeout:1 attempts:1" allows one (0: not
	 * asserted). */
	unsigned aaaa_queries;
};

/* Asks getaddrinfo() the question of ctx's row and expects its code,
 * addresses, canonical name, DNS queries and duration. */
void getaddrinfo_gives(const struct nc_case_ctx *ctx);
/* The same with no descriptor left: the resolver's socket() fails (errno
 * EMFILE). */
void getaddrinfo_without_fds_gives(const struct nc_case_ctx *ctx);
/* The same with no heap left (RLIMIT_AS): the result cannot be allocated. */
void getaddrinfo_without_memory_gives(const struct nc_case_ctx *ctx);

#endif
