/* Mutants of getaddrinfo() and freeaddrinfo() (resolver.def): the fields
 * of the addresses it gives, the forms of the names and services it takes,
 * a call that follows another. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mutants.h"

/* --- getaddrinfo() and freeaddrinfo() --- */

static struct addrinfo *list_reversed(struct addrinfo *list)
{
	struct addrinfo *reversed = NULL;
	char *canonname = list ? list->ai_canonname : NULL;

	while (list) {
		struct addrinfo *next = list->ai_next;

		list->ai_canonname = NULL;
		list->ai_next = reversed;
		reversed = list;
		list = next;
	}
	if (reversed)
		reversed->ai_canonname = canonname;
	return reversed;
}

static bool has_family(const struct addrinfo *list, int family)
{
	for (; list; list = list->ai_next)
		if (list->ai_family == family)
			return true;
	return false;
}

static bool same_address(const struct addrinfo *a, const struct addrinfo *b)
{
	return a->ai_addrlen == b->ai_addrlen &&
	       (a->ai_family == AF_INET ?
		memcmp(&((struct sockaddr_in *)a->ai_addr)->sin_addr,
		       &((struct sockaddr_in *)b->ai_addr)->sin_addr, 4) == 0 :
		memcmp(&((struct sockaddr_in6 *)a->ai_addr)->sin6_addr,
		       &((struct sockaddr_in6 *)b->ai_addr)->sin6_addr, 16) == 0);
}

/* Unlinks the entries keep() refuses and frees them. */
static void list_filter(struct addrinfo **list, bool (*keep)(const struct addrinfo *first,
							   const struct addrinfo *ai))
{
	struct addrinfo *first = *list, **at = &first->ai_next;

	while (*at) {
		struct addrinfo *ai = *at;

		if (keep(first, ai)) {
			at = &ai->ai_next;
			continue;
		}
		*at = ai->ai_next;
		ai->ai_next = NULL;
		REAL(freeaddrinfo)(ai);
	}
}

static bool address_of_first(const struct addrinfo *first, const struct addrinfo *ai)
{
	return same_address(first, ai);
}

static bool stream(const struct addrinfo *first, const struct addrinfo *ai)
{
	(void)first;
	return ai->ai_socktype == SOCK_STREAM;
}

static bool is_numeric_host(const char *node)
{
	unsigned char raw[16];

	return inet_pton(AF_INET, node, raw) == 1 || inet_pton(AF_INET6, node, raw) == 1;
}

/* node answers to an alias: the official name is another name, not node
 * completed by the search domain. */
static bool is_alias(const char *node, const struct addrinfo *hints)
{
	struct addrinfo ask = { .ai_flags = AI_CANONNAME }, *res;
	bool alias = false;

	if (hints)
		ask.ai_family = hints->ai_family;
	if (REAL(getaddrinfo)(node, NULL, &ask, &res) != 0)
		return false;
	if (res->ai_canonname)
		alias = is_alias_of(node, res->ai_canonname);
	REAL(freeaddrinfo)(res);
	return alias;
}

/* The official name of a service, "" when there is none. */
static const char *service_official(const char *service, const char *proto, char *buf,
				    size_t size)
{
	struct servent entry, *found = NULL;
	char lines[1024];

	buf[0] = '\0';
	if (getservbyname_r(service, proto, &entry, lines, sizeof(lines), &found) == 0 && found)
		snprintf(buf, size, "%s", found->s_name);
	return buf;
}

static struct {
	char node[256], service[64];
	bool has_node, has_service, has_hints;
	struct addrinfo hints;
	int pending_code;
} gai_last;

static void gai_remember(const char *node, const char *service, const struct addrinfo *hints)
{
	gai_last.has_node = node != NULL;
	gai_last.has_service = service != NULL;
	gai_last.has_hints = hints != NULL;
	snprintf(gai_last.node, sizeof(gai_last.node), "%s", node ? node : "");
	snprintf(gai_last.service, sizeof(gai_last.service), "%s", service ? service : "");
	if (hints)
		gai_last.hints = (struct addrinfo){ .ai_flags = hints->ai_flags,
						    .ai_family = hints->ai_family,
						    .ai_socktype = hints->ai_socktype,
						    .ai_protocol = hints->ai_protocol };
}

/* The hints and names the C library gets, changed by the mutants that
 * change a question. */
static int gai_asked(const char **node, const char **service, const struct addrinfo **hints,
		     struct addrinfo *changed, char *v4_text, char *port_text)
{
	unsigned char raw[16];

	if (!*hints && acting(getaddrinfo_null_hints_inet)) {
		*changed = (struct addrinfo){ .ai_family = AF_INET };
		*hints = changed;
	}
	if (*hints && any_acting()) {
		*changed = **hints;
		if (acting(getaddrinfo_passive_ignored))
			changed->ai_flags &= ~AI_PASSIVE;
		if (acting(getaddrinfo_v4mapped_ignored))
			changed->ai_flags &= ~AI_V4MAPPED;
		if (acting(getaddrinfo_numerichost_ignored))
			changed->ai_flags &= ~AI_NUMERICHOST;
		if (acting(getaddrinfo_addrconfig_ignored))
			changed->ai_flags &= ~AI_ADDRCONFIG;
		if (acting(getaddrinfo_family_ignored))
			changed->ai_family = AF_UNSPEC;
		if (acting(getaddrinfo_socktype_ignored))
			changed->ai_socktype = 0;
		*hints = changed;
	}
	if (*node && acting(getaddrinfo_mapped_as_inet) && inet_pton(AF_INET6, *node, raw) == 1 &&
	    IN6_IS_ADDR_V4MAPPED((struct in6_addr *)raw)) {
		inet_ntop(AF_INET, raw + 12, v4_text, INET_ADDRSTRLEN);
		*node = v4_text;
		if (*hints) {
			*changed = **hints;
			changed->ai_family = AF_UNSPEC;
			*hints = changed;
		}
	}
	if (*node && !is_numeric_host(*node) && acting(getaddrinfo_alias_unknown) &&
	    is_alias(*node, *hints))
		return EAI_NONAME;
	if (is_number(*service)) {
		unsigned long port = strtoul(*service, NULL, 10);

		if (port > 32767 && port <= 65535 && acting(getaddrinfo_numeric_service_short))
			return EAI_SERVICE;
		if (port == 0 && acting(getaddrinfo_port_zero_refused))
			return EAI_SERVICE;
	} else if (*service) {
		char official[64];

		if (acting(getaddrinfo_service_alias_unknown) &&
		    *service_official(*service, NULL, official, sizeof(official)) &&
		    strcmp(official, *service) != 0)
			return EAI_SERVICE;
		if (acting(getaddrinfo_dgram_service_as_tcp) && *hints &&
		    ((*hints)->ai_socktype == SOCK_DGRAM || (*hints)->ai_protocol == IPPROTO_UDP)) {
			struct servent entry, *found = NULL;
			char lines[1024];

			if (getservbyname_r(*service, "tcp", &entry, lines, sizeof(lines),
					    &found) == 0 && found) {
				snprintf(port_text, 16, "%u", ntohs((uint16_t)found->s_port));
				*service = port_text;
			}
		}
	}
	return 0;
}

/* The mutants of a failed call: another answer, or another code. */
static int gai_failed(int code, const char *node, const char *service,
		      const struct addrinfo *hints, struct addrinfo **res)
{
	struct addrinfo retry;

	if (code == EAI_AGAIN && acting(getaddrinfo_answered_error_waits))
		wait_ms(2000);
	if (code == EAI_AGAIN && acting(getaddrinfo_again_as_fail))
		code = EAI_FAIL;
	if (code == EAI_SYSTEM && acting(getaddrinfo_system_errno_lost))
		errno = 0;
	if (code == EAI_SERVICE && node && acting(getaddrinfo_service_as_noname))
		code = EAI_NONAME;
	if (acting(getaddrinfo_fails_after_failure))
		gai_last.pending_code = code;
	if (hints && node && code != EAI_SYSTEM && code != EAI_MEMORY) {
		retry = *hints;
		if (hints->ai_family == AF_INET6 && !(hints->ai_flags & AI_V4MAPPED) &&
		    acting(getaddrinfo_v4mapped_unasked)) {
			retry.ai_flags |= AI_V4MAPPED;
			return REAL(getaddrinfo)(node, service, &retry, res);
		}
		if (hints->ai_family == AF_INET && acting(getaddrinfo_other_family)) {
			retry.ai_family = AF_INET6;
			return REAL(getaddrinfo)(node, service, &retry, res);
		}
	}
	if ((code == EAI_NONAME || code == EAI_NODATA) && node &&
	    acting(getaddrinfo_keeps_last_answer) && gai_last.has_node &&
	    strcmp(gai_last.node, node) != 0)
		return REAL(getaddrinfo)(gai_last.node,
					 gai_last.has_service ? gai_last.service : NULL,
					 gai_last.has_hints ? &gai_last.hints : NULL, res);
	if ((code == EAI_NONAME || code == EAI_NODATA) && acting(getaddrinfo_empty_success)) {
		*res = NULL;
		return 0;
	}
	return code;
}

/* The mutants of the answer's entries. */
static void gai_answer(struct addrinfo **res, const char *node, const char *service,
		       const struct addrinfo *hints)
{
	if ((*res)->ai_canonname && acting(getaddrinfo_canonname_unset)) {
		free((*res)->ai_canonname);
		(*res)->ai_canonname = NULL;
	}
	if ((*res)->ai_canonname && node && acting(getaddrinfo_canonname_asked)) {
		char *asked = strdup(node);

		if (asked) {
			free((*res)->ai_canonname);
			(*res)->ai_canonname = asked;
		}
	}
	if (acting(getaddrinfo_first_addr_only))
		list_filter(res, address_of_first);
	if (acting(getaddrinfo_socktype_any_stream_only) &&
	    (!hints || (hints->ai_socktype == 0 && hints->ai_protocol == 0)))
		list_filter(res, stream);
	for (struct addrinfo *ai = *res; ai; ai = ai->ai_next) {
		struct sockaddr_in *in = (struct sockaddr_in *)ai->ai_addr;
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ai->ai_addr;

		if (acting(getaddrinfo_port_host_order))
			port_swap_bytes(ai->ai_addr, ai->ai_addrlen);
		if (!service && acting(getaddrinfo_port_unset_without_service))
			in->sin_port = 0xffff;
		if (ai->ai_family == AF_INET && acting(getaddrinfo_sin_zero_garbage))
			memset(in->sin_zero, 0xa5, sizeof(in->sin_zero));
		if (ai->ai_family == AF_INET6 && acting(getaddrinfo_flowinfo_set))
			in6->sin6_flowinfo = htonl(0x12345);
		if (ai->ai_family == AF_INET6 && !IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr) &&
		    acting(getaddrinfo_scope_id_set))
			in6->sin6_scope_id = 1;
		if (acting(getaddrinfo_protocol_zero))
			ai->ai_protocol = 0;
		if (acting(getaddrinfo_addrlen_off_by_one))
			ai->ai_addrlen++;
	}
	if (acting(getaddrinfo_order_reversed))
		*res = list_reversed(*res);
}

int getaddrinfo(const char *restrict node_arg, const char *restrict service_arg,
		const struct addrinfo *restrict hints_arg, struct addrinfo **restrict res)
{
	const char *node = node_arg, *service = service_arg;
	const struct addrinfo *hints = hints_arg;
	char v4_text[INET_ADDRSTRLEN], port_text[16], absolute[256];
	struct addrinfo changed;
	int code;

	if (gai_last.pending_code && acting(getaddrinfo_fails_after_failure)) {
		code = gai_last.pending_code;
		gai_last.pending_code = 0;
		return code;
	}
	code = gai_asked(&node, &service, &hints, &changed, v4_text, port_text);
	if (acting(resolver_rotate_ignored) || acting(resolver_single_request_ignored)) {
		/* _res is read by the lookup that follows (glibc) */
		res_init();
		_res.options &= acting(resolver_rotate_ignored) ? ~(unsigned long)RES_ROTATE :
				~(unsigned long)(RES_SNGLKUP | RES_SNGLKUPREOP);
	}
	if (node && *node && acting(getaddrinfo_name_absolute) && node[strlen(node) - 1] != '.' &&
	    strlen(node) + 2 <= sizeof(absolute)) {
		snprintf(absolute, sizeof(absolute), "%s.", node);
		node = absolute;
	}
	if (code == 0) {
		struct timespec start, end;

		clock_gettime(CLOCK_MONOTONIC, &start);
		code = REAL(getaddrinfo)(node, service, hints, res);
		clock_gettime(CLOCK_MONOTONIC, &end);
		/* a timeout (1 s) passed on the way: the answer held back */
		if (code == 0 && acting(resolver_next_server_late) &&
		    (end.tv_sec - start.tv_sec) * 1000 + (end.tv_nsec - start.tv_nsec) / 1000000 >= 900)
			wait_ms(900);
	}
	if (code == 0 && acting(getaddrinfo_first_only) && (*res)->ai_next) {
		REAL(freeaddrinfo)((*res)->ai_next);
		(*res)->ai_next = NULL;
	}
	if (code != 0)
		code = gai_failed(code, node, service, hints, res);
	if (code == 0 && acting(getaddrinfo_unspec_needs_both) && hints &&
	    hints->ai_family == AF_UNSPEC && !has_family(*res, AF_INET6)) {
		REAL(freeaddrinfo)(*res);
		*res = NULL;
		code = EAI_AGAIN;
	}
	if (code != 0 || !*res)
		return code;
	if (node)
		gai_remember(node, service, hints);
	gai_answer(res, node, service, hints);
	return code;
}

void freeaddrinfo(struct addrinfo *res)
{
	if (acting(freeaddrinfo_noop))
		return;
	if (res && acting(freeaddrinfo_first_only))
		res->ai_next = NULL;
	if (res && acting(freeaddrinfo_canonname_leak))
		res->ai_canonname = NULL;
	REAL(freeaddrinfo)(res);
}
