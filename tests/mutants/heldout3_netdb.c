/* Held-out mutants, round 3, of the resolver's functions (heldout3.def,
 * issue 20): gethostbyname(), gethostbyaddr(), getservbyname(),
 * getservbyport(), getaddrinfo(), freeaddrinfo(), getnameinfo(),
 * gai_strerror().  See heldout3.c for how the library is preloaded. */
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "mutants.h"
#include "heldout.h"

/* text is an IPv4 or IPv6 address in numeric form. */
static size_t count(char **list)
{
	size_t n = 0;

	while (list && list[n])
		n++;
	return n;
}

/* --- gethostbyname() / gethostbyaddr() --- */

static struct hostent *host_not_found(int err)
{
	h_errno = err;
	return NULL;
}

/* name is spelt exactly as the host's official name or one of its aliases. */
static bool spelt_as_listed(const char *name, const struct hostent *host)
{
	size_t n = strlen(name);

	if (n && name[n - 1] == '.')
		n--;
	if (strncmp(name, host->h_name, n) == 0 && host->h_name[n] == '\0')
		return true;
	for (char **alias = host->h_aliases; *alias; alias++)
		if (strncmp(name, *alias, n) == 0 && (*alias)[n] == '\0')
			return true;
	return false;
}

/* The static hostent's alias list rewritten without its old end cleared:
 * the previous host's aliases past the new host's last one stay. */
static void aliases_left_over(struct hostent *host)
{
	enum { MAX = 32, LEN = 256 };
	static char before[MAX][LEN], shown_text[MAX][LEN];
	static char *shown[MAX + 1];
	static size_t before_n;
	size_t now = count(host->h_aliases), i;

	for (i = 0; i < MAX && (i < now || i < before_n); i++) {
		snprintf(shown_text[i], LEN, "%s", i < now ? host->h_aliases[i] : before[i]);
		shown[i] = shown_text[i];
	}
	shown[i] = NULL;
	for (before_n = 0; before_n < now && before_n < MAX; before_n++)
		snprintf(before[before_n], LEN, "%s", host->h_aliases[before_n]);
	host->h_aliases = shown;
}

struct hostent *gethostbyname(const char *name)
{
	static int cached_error;
	size_t n = name ? strlen(name) : 0;
	struct hostent *host;

	if (acting(held3_gethostbyname_failure_cached) && cached_error) {
		int err = cached_error;

		cached_error = 0;
		return host_not_found(err);
	}
	if (acting(held3_gethostbyname_numeric_unknown) && name && held_numeric_host(name))
		return host_not_found(HOST_NOT_FOUND);
	if (acting(held3_gethostbyname_absolute_unknown) && n > 1 && name[n - 1] == '.')
		return host_not_found(HOST_NOT_FOUND);
	host = REAL(gethostbyname)(name);
	if (!host) {
		if (acting(held3_gethostbyname_failure_cached))
			cached_error = h_errno;
		if (acting(held3_gethostbyname_nodata_as_not_found) && h_errno == NO_DATA)
			h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	if (acting(held3_gethostbyname_case_sensitive) && !held_numeric_host(name) &&
	    !spelt_as_listed(name, host))
		return host_not_found(HOST_NOT_FOUND);
	if (acting(held3_gethostbyname_aliases_left_over))
		aliases_left_over(host);
	return host;
}

struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type)
{
	struct hostent *host;

	if (acting(held3_gethostbyaddr_mapped_unknown) && type == AF_INET6 && addr && len == 16 &&
	    IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)addr))
		return host_not_found(HOST_NOT_FOUND);
	host = REAL(gethostbyaddr)(addr, len, type);
	if (!host)
		return NULL;
	if (acting(held3_gethostbyaddr_addr_list_empty))
		host->h_addr_list[0] = NULL;
	if (acting(held3_gethostbyaddr_aliases_empty))
		host->h_aliases[0] = NULL;
	return host;
}

/* --- getservbyname() / getservbyport() --- */

/* The first service whose name begins with name (for proto, any if NULL). */
static struct servent *service_beginning(const char *name, const char *proto)
{
	struct servent *serv;
	size_t n = strlen(name);

	setservent(0);
	while ((serv = getservent()))
		if (strncmp(serv->s_name, name, n) == 0 && (!proto || !strcmp(serv->s_proto, proto)))
			break;
	endservent();
	return serv;
}

struct servent *getservbyname(const char *name, const char *proto)
{
	static char tcp[] = "tcp";
	struct servent *serv = REAL(getservbyname)(name, proto);

	if (!serv && proto && !strcmp(proto, "tcp") && acting(held3_getservbyname_proto_fallback))
		serv = REAL(getservbyname)(name, "udp");
	if (!serv && name && *name && acting(held3_getservbyname_prefix_match))
		serv = service_beginning(name, proto);
	if (!serv)
		return NULL;
	if (acting(held3_getservbyname_udp_s_proto_tcp) && !strcmp(serv->s_proto, "udp"))
		serv->s_proto = tcp;
	if (acting(held3_getservbyname_s_port_sign_extended))
		serv->s_port = (int16_t)(uint16_t)serv->s_port;
	return serv;
}

struct servent *getservbyport(int port, const char *proto)
{
	static char before[256], shown[256];
	struct servent *serv;

	if (acting(held3_getservbyport_host_order))
		port = htons((uint16_t)port);	/* converted once more */
	if (acting(held3_getservbyport_null_proto_udp) && !proto)
		proto = "udp";
	serv = REAL(getservbyport)(port, proto);
	if (!serv)
		return NULL;
	if (acting(held3_getservbyport_aliases_empty))
		serv->s_aliases[0] = NULL;
	if (acting(held3_getservbyport_s_name_stale)) {
		bool other = before[0] && strcmp(before, serv->s_name) != 0;

		snprintf(shown, sizeof(shown), "%s", other ? before : serv->s_name);
		snprintf(before, sizeof(before), "%s", serv->s_name);
		serv->s_name = shown;
	}
	return serv;
}

/* --- getaddrinfo() / freeaddrinfo() --- */

/* Frees one element, unlinked (its canonical name handed to next). */
static void free_one(struct addrinfo *ai, struct addrinfo *next)
{
	if (next && !next->ai_canonname) {
		next->ai_canonname = ai->ai_canonname;
		ai->ai_canonname = NULL;
	}
	ai->ai_next = NULL;
	REAL(freeaddrinfo)(ai);
}

/* Only the SOCK_STREAM elements kept (if there are any). */
static struct addrinfo *streams_only(struct addrinfo *list)
{
	struct addrinfo **at = &list, *ai;
	bool any = false;

	for (ai = list; ai; ai = ai->ai_next)
		any |= ai->ai_socktype == SOCK_STREAM;
	if (!any)
		return list;
	while ((ai = *at)) {
		if (ai->ai_socktype == SOCK_STREAM) {
			at = &ai->ai_next;
			continue;
		}
		*at = ai->ai_next;
		free_one(ai, *at ? *at : list);
	}
	return list;
}

/* Every element followed by a copy of itself (allocated as glibc does: the
 * address after the element, one free()). */
static void doubled(struct addrinfo *list)
{
	for (struct addrinfo *ai = list, *copy; ai; ai = copy->ai_next) {
		if (!(copy = malloc(sizeof(*copy) + ai->ai_addrlen)))
			return;
		*copy = *ai;
		copy->ai_addr = (struct sockaddr *)(copy + 1);
		memcpy(copy->ai_addr, ai->ai_addr, ai->ai_addrlen);
		copy->ai_canonname = NULL;
		ai->ai_next = copy;
	}
}

static void addrinfo_mutate(struct addrinfo **res, const char *node, int flags)
{
	struct addrinfo *list = *res;

	if (acting(held3_gai_canonname_official_lost) && (flags & AI_CANONNAME) && node &&
	    list->ai_canonname && is_alias_of(node, list->ai_canonname) && !held_numeric_host(node)) {
		free(list->ai_canonname);
		list->ai_canonname = NULL;
	}
	for (struct addrinfo *ai = list; ai; ai = ai->ai_next) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ai->ai_addr;

		if (ai->ai_socktype == SOCK_DGRAM && acting(held3_gai_dgram_protocol_tcp))
			ai->ai_protocol = IPPROTO_TCP;
		if (ai->ai_family == AF_INET6 && acting(held3_gai_v6_port_host_order))
			in6->sin6_port = ntohs(in6->sin6_port);
	}
	if (acting(held3_gai_results_twice))
		doubled(list);
}

/* The port of a service listed for udp only, as text, or NULL. */
static const char *udp_port(const char *service, char *text, size_t size)
{
	struct servent *serv;

	if (!service || is_number(service) || REAL(getservbyname)(service, "tcp") ||
	    !(serv = REAL(getservbyname)(service, "udp")))
		return NULL;
	snprintf(text, size, "%u", ntohs((uint16_t)serv->s_port));
	return text;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	struct addrinfo asked = hints ? *hints : (struct addrinfo){
		.ai_flags = AI_V4MAPPED | AI_ADDRCONFIG };
	char port_text[8];
	int ret;

	if (acting(held3_gai_service_0_eai_service) && service && !strcmp(service, "0"))
		return EAI_SERVICE;
	if (acting(held3_gai_passive_ignored) && !node)
		asked.ai_flags &= ~AI_PASSIVE;
	if (acting(held3_gai_null_host_wildcard) && !node)
		asked.ai_flags |= AI_PASSIVE;
	if (acting(held3_gai_canonname_null_host_ok) && !node)
		asked.ai_flags &= ~AI_CANONNAME;
	if ((acting(held3_gai_inet6_family_ignored) && asked.ai_family == AF_INET6) ||
	    (acting(held3_gai_inet_family_ignored) && asked.ai_family == AF_INET))
		asked.ai_family = AF_UNSPEC;
	if (acting(held3_gai_numericserv_name_accepted) && service && !is_number(service))
		asked.ai_flags &= ~AI_NUMERICSERV;
	if (acting(held3_gai_numerichost_name_resolved) && node && !held_numeric_host(node))
		asked.ai_flags &= ~AI_NUMERICHOST;
	ret = REAL(getaddrinfo)(node, service, any_acting() ? &asked : hints, res);
	if (ret == EAI_SERVICE && asked.ai_socktype == SOCK_STREAM &&
	    acting(held3_gai_udp_service_for_stream) &&
	    udp_port(service, port_text, sizeof(port_text)))
		ret = REAL(getaddrinfo)(node, port_text, &asked, res);
	if (ret == EAI_NONAME && node && !held_numeric_host(node) && !(asked.ai_flags & AI_NUMERICHOST) &&
	    acting(held3_gai_unknown_host_eai_again))
		return EAI_AGAIN;
	if (ret == EAI_SYSTEM && acting(held3_gai_system_errno_lost))
		errno = 0;
	if (ret != 0)
		return ret;
	if (acting(held3_gai_socktype0_stream_only) && asked.ai_socktype == 0)
		*res = streams_only(*res);
	addrinfo_mutate(res, node, asked.ai_flags);
	return 0;
}

void freeaddrinfo(struct addrinfo *list)
{
	if (acting(held3_freeaddrinfo_leaks_addr))
		for (struct addrinfo *ai = list; ai; ai = ai->ai_next) {
			void *kept = malloc(ai->ai_addrlen);	/* as if never freed */

			if (kept)
				memcpy(kept, ai->ai_addr, ai->ai_addrlen);
			__asm__ volatile("" : : "r"(kept) : "memory");
		}
	REAL(freeaddrinfo)(list);
}

/* --- getnameinfo() --- */

int getnameinfo(const struct sockaddr *addr, socklen_t addr_len, char *host, socklen_t host_len,
		char *serv, socklen_t serv_len, int flags)
{
	static char last_name[NI_MAXHOST];
	char whole_host[NI_MAXHOST];
	bool v6 = addr && addr->sa_family == AF_INET6;
	bool truncate_host = acting(held3_gni_host_one_short_truncates) && host && host_len;
	int port = held_port(addr, addr_len), ret;

	if (acting(held3_gni_servlen_zero_overflow) && serv && serv_len == 0)
		return EAI_OVERFLOW;
	if (acting(held3_gni_addrlen_storage_family) && addr_len == sizeof(struct sockaddr_storage))
		return EAI_FAMILY;
	if (acting(held3_gni_numericserv_ignored))
		flags &= ~NI_NUMERICSERV;
	if (acting(held3_gni_numerichost_v6_ignored) && v6)
		flags &= ~NI_NUMERICHOST;
	if (acting(held3_gni_dgram_v6_ignored) && v6)
		flags &= ~NI_DGRAM;
	if (acting(held3_gni_nofqdn_ignored))
		flags &= ~NI_NOFQDN;
	if (acting(held3_gni_serv_exact_overflow) && serv && serv_len)
		serv_len--;
	ret = REAL(getnameinfo)(addr, addr_len, truncate_host ? whole_host : host,
				truncate_host ? sizeof(whole_host) : host_len, serv, serv_len, flags);
	if (ret != 0)
		return ret;
	if (truncate_host)
		snprintf(host, host_len, "%s", whole_host);
	if (acting(held3_gni_namereqd_named_fails) && (flags & NI_NAMEREQD) && !v6)
		return EAI_NONAME;
	if (host && host_len && acting(held3_gni_nofqdn_strips_any_domain) && (flags & NI_NOFQDN) &&
	    !held_numeric_host(host) && strchr(host, '.'))
		*strchr(host, '.') = '\0';
	if (serv && serv_len && port > 32767 && (flags & NI_NUMERICSERV) &&
	    acting(held3_gni_port_signed))
		snprintf(serv, serv_len, "%d", (int16_t)port);
	if (host && host_len && !(flags & NI_NUMERICHOST) && acting(held3_gni_stale_name)) {
		if (!held_numeric_host(host))
			snprintf(last_name, sizeof(last_name), "%s", host);
		else if (last_name[0])
			snprintf(host, host_len, "%s", last_name);
	}
	return 0;
}

/* --- gai_strerror() --- */

const char *gai_strerror(int code)
{
	if (acting(held3_strerror_badflags_as_family) && code == EAI_BADFLAGS)
		code = EAI_FAMILY;
	if (acting(held3_strerror_socktype_service_swapped) &&
	    (code == EAI_SOCKTYPE || code == EAI_SERVICE))
		code = code == EAI_SOCKTYPE ? EAI_SERVICE : EAI_SOCKTYPE;
	if (acting(held3_strerror_again_as_noname) && code == EAI_AGAIN)
		code = EAI_NONAME;
	return REAL(gai_strerror)(code);
}
