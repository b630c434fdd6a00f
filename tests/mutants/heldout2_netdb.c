/* Held-out mutants of the resolver's functions, second round
 * (heldout2.def, issue 20): gethostbyname(), gethostbyaddr(),
 * getservbyname(), getservbyport(), getaddrinfo(), freeaddrinfo(),
 * getnameinfo(), gai_strerror(); heldout2.c says how they stack. */
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "mutants.h"
#include "heldout.h"

static struct hostent *not_found(void)
{
	h_errno = HOST_NOT_FOUND;
	return NULL;
}

/* --- gethostbyname() / gethostbyaddr() --- */

/* name is exactly the host's official name or one of its aliases. */
static bool named_exactly(const struct hostent *host, const char *name)
{
	if (strcmp(host->h_name, name) == 0)
		return true;
	for (char **alias = host->h_aliases; *alias; alias++)
		if (strcmp(*alias, name) == 0)
			return true;
	return false;
}

static bool has_upper(const char *text)
{
	for (; *text; text++)
		if (isupper((unsigned char)*text))
			return true;
	return false;
}

struct hostent *held2_gethostbyname(const char *name)
{
	static char empty[1];
	struct in_addr numeric;
	size_t n = name ? strlen(name) : 0;
	struct hostent *host;

	if (acting(held2_gethostbyname_absolute_fails) && n > 1 && name[n - 1] == '.')
		return not_found();
	host = REAL(gethostbyname)(name);
	if (!host)
		return NULL;
	if (acting(held2_gethostbyname_case_fails) && has_upper(name) && !named_exactly(host, name))
		return not_found();
	if (acting(held2_gethostbyname_numeric_h_name_empty) && inet_pton(AF_INET, name, &numeric) == 1)
		host->h_name = empty;
	return host;
}

struct hostent *held2_gethostbyaddr(const void *addr, socklen_t len, int type)
{
	struct hostent *host;

	if (acting(held2_gethostbyaddr_mapped_fails) && type == AF_INET6 && addr &&
	    len == sizeof(struct in6_addr) && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)addr))
		return not_found();
	host = REAL(gethostbyaddr)(addr, len, type);
	if (!host)
		return NULL;
	if (acting(held2_gethostbyaddr_v6_addr_truncated) && host->h_length == 16)
		for (char **a = host->h_addr_list; *a; a++)
			memset(*a + 4, 0, 12);
	if (acting(held2_gethostbyaddr_aliases_empty))
		host->h_aliases[0] = NULL;
	return host;
}

/* --- getservbyname() / getservbyport() --- */

struct servent *held2_getservbyname(const char *name, const char *proto)
{
	static char tcp[] = "tcp";
	struct servent *serv = REAL(getservbyname)(name, proto);

	if (serv && proto && strcmp(proto, "udp") == 0 && acting(held2_getservbyname_udp_s_proto_tcp))
		serv->s_proto = tcp;
	return serv;
}

struct servent *held2_getservbyport(int port, const char *proto)
{
	static bool failed;	/* the last lookup found nothing */
	uint16_t net = (uint16_t)port;
	struct servent *serv;

	if (acting(held2_getservbyport_failure_cached) && failed) {
		failed = false;
		return NULL;
	}
	if (acting(held2_getservbyport_above_32767_unknown) && ntohs(net) > 32767)
		return NULL;
	if (acting(held2_getservbyport_udp_host_order) && proto && strcmp(proto, "udp") == 0)
		port = (uint16_t)((net >> 8) | (net << 8));
	serv = REAL(getservbyport)(port, proto);
	failed = !serv;
	if (serv && acting(held2_getservbyport_aliases_empty))
		serv->s_aliases[0] = NULL;
	return serv;
}

/* --- getaddrinfo() / freeaddrinfo() --- */

static bool same_address(const struct addrinfo *a, const struct addrinfo *b)
{
	return a->ai_family == b->ai_family && a->ai_addrlen == b->ai_addrlen &&
	       memcmp(a->ai_addr, b->ai_addr, a->ai_addrlen) == 0;
}

/* Drops from *list the items that keep() refuses (freed; the canonical
 * name stays on the head). */
static void drop(struct addrinfo **list, bool (*keep)(const struct addrinfo *ai,
						      const struct addrinfo *head))
{
	const struct addrinfo head = **list;
	char *canonname = (*list)->ai_canonname;

	(*list)->ai_canonname = NULL;
	for (struct addrinfo **at = list; *at;) {
		struct addrinfo *ai = *at;

		if (keep(ai, &head)) {
			at = &ai->ai_next;
			continue;
		}
		*at = ai->ai_next;
		ai->ai_next = NULL;
		REAL(freeaddrinfo)(ai);
	}
	if (*list)
		(*list)->ai_canonname = canonname;
	else
		free(canonname);
}

static bool not_v6(const struct addrinfo *ai, const struct addrinfo *head)
{
	(void)head;
	return ai->ai_family != AF_INET6;
}

static bool head_address(const struct addrinfo *ai, const struct addrinfo *head)
{
	return same_address(ai, head);
}

static bool has_family(const struct addrinfo *list, int family)
{
	for (; list; list = list->ai_next)
		if (list->ai_family == family)
			return true;
	return false;
}

static void addrinfo_mutated(struct addrinfo **list, const struct addrinfo *hints)
{
	int family = hints ? hints->ai_family : AF_UNSPEC;

	if (acting(held2_gai_unspec_v6_dropped) && family == AF_UNSPEC &&
	    has_family(*list, AF_INET) && has_family(*list, AF_INET6))
		drop(list, not_v6);
	if (acting(held2_gai_first_address_only))
		drop(list, head_address);
	for (struct addrinfo *ai = *list; ai; ai = ai->ai_next) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ai->ai_addr;

		if (acting(held2_gai_v6_port_host_order) && ai->ai_family == AF_INET6)
			in6->sin6_port = ntohs(in6->sin6_port);
		if (acting(held2_gai_dgram_socktype_stream) && hints && hints->ai_socktype == SOCK_DGRAM)
			ai->ai_socktype = SOCK_STREAM;
	}
}

int held2_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		      struct addrinfo **res)
{
	/* the last question answered (held2_gai_answer_cached) */
	static char last_node[256], last_service[64];
	static struct addrinfo last_hints;
	static bool answered, hinted;
	int ret = REAL(getaddrinfo)(node, service, hints, res);

	if (ret == EAI_NONAME && acting(held2_gai_answer_cached) && answered)
		return REAL(getaddrinfo)(last_node[0] ? last_node : NULL,
					 last_service[0] ? last_service : NULL,
					 hinted ? &last_hints : NULL, res);
	if (ret == EAI_NONAME && hints && (hints->ai_flags & AI_NUMERICHOST) &&
	    acting(held2_gai_numerichost_eai_fail))
		return EAI_FAIL;
	if (ret != 0)
		return ret;
	answered = true;
	snprintf(last_node, sizeof(last_node), "%s", node ? node : "");
	snprintf(last_service, sizeof(last_service), "%s", service ? service : "");
	hinted = hints != NULL;
	if (hints)
		last_hints = (struct addrinfo){ .ai_flags = hints->ai_flags,
						.ai_family = hints->ai_family,
						.ai_socktype = hints->ai_socktype,
						.ai_protocol = hints->ai_protocol };
	addrinfo_mutated(res, hints);
	return 0;
}

void held2_freeaddrinfo(struct addrinfo *list)
{
	if (list && acting(held2_freeaddrinfo_canonname_leak))
		list->ai_canonname = NULL;	/* leaks */
	REAL(freeaddrinfo)(list);
}

/* --- getnameinfo() --- */

int held2_getnameinfo(const struct sockaddr *addr, socklen_t addr_len, char *host,
		      socklen_t host_len, char *serv, socklen_t serv_len, int flags)
{
	char whole_host[NI_MAXHOST], *dot;
	bool v6 = addr && addr->sa_family == AF_INET6;
	bool truncate_host = acting(held2_gni_host_one_short_truncates) && host && host_len;
	int ret;

	if (acting(held2_gni_addrlen_storage_family) && addr && addr->sa_family == AF_INET &&
	    addr_len > sizeof(struct sockaddr_in))
		return EAI_FAMILY;
	if (acting(held2_gni_numerichost_v6_ignored) && v6)
		flags &= ~NI_NUMERICHOST;
	if (acting(held2_gni_mapped_name_numeric) && held_mapped(addr, addr_len))
		flags |= NI_NUMERICHOST;
	if (acting(held2_gni_dgram_v6_ignored) && v6)
		flags &= ~NI_DGRAM;
	if (acting(held2_gni_high_port_numeric) && held_port(addr, addr_len) > 1023)
		flags |= NI_NUMERICSERV;
	if (acting(held2_gni_serv_exact_overflow) && serv && serv_len)
		serv_len--;
	ret = REAL(getnameinfo)(addr, addr_len, truncate_host ? whole_host : host,
				truncate_host ? sizeof(whole_host) : host_len, serv, serv_len, flags);
	if (ret != 0)
		return ret;
	if (truncate_host)
		snprintf(host, host_len, "%s", whole_host);
	if (acting(held2_gni_nofqdn_other_domain_cut) && (flags & NI_NOFQDN) && host && host_len &&
	    !held_numeric_host(host) && (dot = strchr(host, '.')))
		*dot = '\0';
	return 0;
}

/* --- gai_strerror() --- */

const char *held2_gai_strerror(int code)
{
	if (acting(held2_strerror_badflags_as_family) && code == EAI_BADFLAGS)
		code = EAI_FAMILY;
	if (acting(held2_strerror_socktype_service_swapped) &&
	    (code == EAI_SOCKTYPE || code == EAI_SERVICE))
		code = code == EAI_SOCKTYPE ? EAI_SERVICE : EAI_SOCKTYPE;
	if (acting(held2_strerror_off_by_one) && code < 0)
		code--;
	return REAL(gai_strerror)(code);
}
