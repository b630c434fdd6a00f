/* Held-out mutants of the resolver's functions (heldout.def, issue 20):
 * gethostbyname(), gethostbyaddr(), getservbyname(), getservbyport(),
 * getaddrinfo(), freeaddrinfo(), getnameinfo(), gai_strerror(); see
 * heldout.c for how the library is preloaded. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "mutants.h"
#include "heldout.h"

/* --- gethostbyname() / gethostbyaddr() --- */

struct hostent *gethostbyname(const char *name)
{
	static struct hostent *last;
	static char asked[256];
	struct hostent *host = held2_gethostbyname(name);

	if (!host) {
		if (acting(held_gethostbyname_stale_on_failure) && last)
			return last;
		return NULL;
	}
	last = host;
	if (acting(held_gethostbyname_addr_list_first_only) && host->h_addr_list[0])
		host->h_addr_list[1] = NULL;
	if (acting(held_gethostbyname_addr_list_tail_host_order))
		for (size_t i = 1; host->h_addr_list[0] && host->h_addr_list[i]; i++)
			for (int lo = 0, hi = host->h_length - 1; lo < hi; lo++, hi--) {
				char byte = host->h_addr_list[i][lo];

				host->h_addr_list[i][lo] = host->h_addr_list[i][hi];
				host->h_addr_list[i][hi] = byte;
			}
	if (acting(held_gethostbyname_alias_as_h_name) && is_alias_of(name, host->h_name)) {
		snprintf(asked, sizeof(asked), "%s", name);
		host->h_name = asked;
	}
	if (acting(held_gethostbyname_aliases_drop_last) && host->h_aliases[0]) {
		size_t n = 0;

		while (host->h_aliases[n])
			n++;
		host->h_aliases[n - 1] = NULL;
	}
	return host;
}

struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type)
{
	unsigned char padded[4] = { 0 };
	struct hostent *host;

	if (acting(held_gethostbyaddr_short_len_padded) && type == AF_INET && addr && len > 0 &&
	    len < 4) {
		memcpy(padded, addr, len);
		addr = padded;
		len = 4;
	}
	host = held2_gethostbyaddr(addr, len, type);
	if (!host) {
		if (acting(held_gethostbyaddr_failure_h_errno_0))
			h_errno = NETDB_SUCCESS;
		return NULL;
	}
	if (type == AF_INET6 && acting(held_gethostbyaddr_v6_h_length4))
		host->h_length = 4;
	if (type == AF_INET6 && acting(held_gethostbyaddr_v6_addrtype_inet))
		host->h_addrtype = AF_INET;
	return host;
}

/* --- getservbyname() / getservbyport() --- */

struct servent *getservbyname(const char *name, const char *proto)
{
	static struct servent *last;
	static char asked[256];
	struct servent *serv = NULL;

	if (acting(held_getservbyname_number_accepted) && is_number(name))
		return REAL(getservbyport)(htons((uint16_t)atoi(name)), proto);
	if (acting(held_getservbyname_null_proto_udp_first) && !proto)
		serv = held2_getservbyname(name, "udp");
	if (!serv)
		serv = held2_getservbyname(name, proto);
	if (!serv) {
		if (acting(held_getservbyname_stale_on_failure) && last)
			return last;
		return NULL;
	}
	last = serv;
	if (strcmp(serv->s_name, name) != 0) {	/* asked by an alias */
		if (acting(held_getservbyname_alias_unknown))
			return NULL;
		if (acting(held_getservbyname_alias_as_s_name)) {
			snprintf(asked, sizeof(asked), "%s", name);
			serv->s_name = asked;
		}
	}
	if (acting(held_getservbyname_udp_host_order) && strcmp(serv->s_proto, "udp") == 0)
		serv->s_port = ntohs((uint16_t)serv->s_port);
	if (acting(held_getservbyname_aliases_first_dropped) && serv->s_aliases[0])
		serv->s_aliases++;
	return serv;
}

struct servent *getservbyport(int port, const char *proto)
{
	static char no_proto[1];
	struct servent *serv = NULL;

	if (acting(held_getservbyport_proto_ignored) && proto && strcmp(proto, "udp") == 0)
		serv = held2_getservbyport(port, "tcp");
	if (!serv)
		serv = held2_getservbyport(port, proto);
	if (serv && !proto && acting(held_getservbyport_null_proto_empty_s_proto))
		serv->s_proto = no_proto;
	return serv;
}

/* --- getaddrinfo() / freeaddrinfo() --- */

static void addrinfo_mutate(struct addrinfo *list, const char *node, const char *service,
			    int flags)
{
	if (acting(held_gai_canonname_alias) && (flags & AI_CANONNAME) && node &&
	    list->ai_canonname && is_alias_of(node, list->ai_canonname)) {
		free(list->ai_canonname);	/* glibc allocates it apart */
		list->ai_canonname = strdup(node);
	}
	for (struct addrinfo *ai = list; ai; ai = ai->ai_next) {
		struct sockaddr_in *in = (struct sockaddr_in *)ai->ai_addr;
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ai->ai_addr;

		if (ai->ai_family == AF_INET6 && acting(held_gai_v6_scope_id) &&
		    !IN6_IS_ADDR_LINKLOCAL(&in6->sin6_addr))
			in6->sin6_scope_id = 3;
		if (ai->ai_family == AF_INET6 && acting(held_gai_v6_flowinfo))
			in6->sin6_flowinfo = htonl(0x12345);
		if (ai->ai_family == AF_INET && acting(held_gai_v4_sin_zero))
			memset(in->sin_zero, 0x5a, sizeof(in->sin_zero));
		if (acting(held_gai_addrlen_storage))
			ai->ai_addrlen = sizeof(struct sockaddr_storage);
		if (acting(held_gai_protocol_zero))
			ai->ai_protocol = 0;
		if (!service && acting(held_gai_null_service_port_garbage))
			in->sin_port = htons(0x5a5a);
	}
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	static int cached_error;
	struct addrinfo asked = hints ? *hints : (struct addrinfo){
		.ai_flags = AI_V4MAPPED | AI_ADDRCONFIG };
	struct in6_addr mapped;
	char port_text[8], v4_text[INET_ADDRSTRLEN];
	int ret;

	if (acting(held_gai_error_sticky) && cached_error) {
		ret = cached_error;
		cached_error = 0;
		return ret;
	}
	if (acting(held_gai_port_65535_eai_service) && service && strcmp(service, "65535") == 0)
		return EAI_SERVICE;
	if (service && !is_number(service)) {
		struct servent *serv = NULL;

		if (acting(held_gai_service_alias_eai_service) &&
		    (serv = REAL(getservbyname)(service, NULL)) && strcmp(serv->s_name, service))
			return EAI_SERVICE;
		if (acting(held_gai_dgram_service_as_tcp) && asked.ai_socktype == SOCK_DGRAM) {
			if (!(serv = REAL(getservbyname)(service, "tcp")))
				return EAI_SERVICE;
			snprintf(port_text, sizeof(port_text), "%u", ntohs((uint16_t)serv->s_port));
			service = port_text;
		}
	}
	if (acting(held_gai_mapped_numeric_as_v4) && node && asked.ai_family != AF_INET &&
	    inet_pton(AF_INET6, node, &mapped) == 1 && IN6_IS_ADDR_V4MAPPED(&mapped)) {
		inet_ntop(AF_INET, &mapped.s6_addr[12], v4_text, sizeof(v4_text));
		node = v4_text;
		asked.ai_family = AF_INET;
		hints = &asked;
	}
	ret = held2_getaddrinfo(node, service, hints, res);
	if (ret == EAI_BADFLAGS && hints && acting(held_gai_badflags_accepted)) {
		asked.ai_flags &= AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED |
				  AI_ALL | AI_ADDRCONFIG | AI_NUMERICSERV;
		ret = held2_getaddrinfo(node, service, &asked, res);
	}
	if (ret == EAI_FAMILY && acting(held_gai_family_as_socktype))
		ret = EAI_SOCKTYPE;
	if (ret != 0) {
		cached_error = ret;
		return ret;
	}
	addrinfo_mutate(*res, node, service, asked.ai_flags);
	return 0;
}

void freeaddrinfo(struct addrinfo *list)
{
	if (list && acting(held_freeaddrinfo_first_only))
		list->ai_next = NULL;	/* the rest leaks */
	held2_freeaddrinfo(list);
}

/* --- getnameinfo() --- */

int getnameinfo(const struct sockaddr *addr, socklen_t addr_len, char *host, socklen_t host_len,
		char *serv, socklen_t serv_len, int flags)
{
	struct sockaddr_in6 widened;
	char whole_serv[NI_MAXSERV];
	bool v6 = addr && addr->sa_family == AF_INET6;
	bool truncate_serv = acting(held_gni_serv_one_short_truncates) && serv && serv_len;
	int port = held_port(addr, addr_len), ret;

	if (acting(held_gni_hostlen_zero_overflow) && host && host_len == 0)
		return EAI_OVERFLOW;
	if (acting(held_gni_v6_short_addrlen_accepted) && v6 &&
	    addr_len >= sizeof(struct sockaddr_in) && addr_len < sizeof(widened)) {
		memset(&widened, 0, sizeof(widened));
		memcpy(&widened, addr, addr_len);
		addr = (const struct sockaddr *)&widened;
		addr_len = sizeof(widened);
	}
	if (acting(held_gni_dgram_ignored_with_numerichost) && (flags & NI_NUMERICHOST))
		flags &= ~NI_DGRAM;
	if (acting(held_gni_namereqd_v6_ignored) && v6)
		flags &= ~NI_NAMEREQD;
	if (acting(held_gni_host_exact_overflow) && host && host_len)
		host_len--;
	ret = held2_getnameinfo(addr, addr_len, host, host_len, truncate_serv ? whole_serv : serv,
				truncate_serv ? sizeof(whole_serv) : serv_len, flags);
	if (truncate_serv && ret == 0)
		snprintf(serv, serv_len, "%s", whole_serv);
	if (ret != 0)
		return ret;
	if (serv && serv_len && acting(held_gni_numericserv_host_order) &&
	    (flags & NI_NUMERICSERV) && port >= 0)
		snprintf(serv, serv_len, "%u", htons((uint16_t)port));
	if (serv && serv_len && port == 0 && acting(held_gni_port0_empty))
		serv[0] = '\0';
	if (host && host_len && (flags & NI_NUMERICHOST) && held_mapped(addr, addr_len) &&
	    acting(held_gni_mapped_numeric_as_v4))
		inet_ntop(AF_INET, &((const struct sockaddr_in6 *)addr)->sin6_addr.s6_addr[12],
			  host, host_len);
	return 0;
}

/* --- gai_strerror() --- */

const char *gai_strerror(int code)
{
	if (acting(held_strerror_overflow_as_memory) && code == EAI_OVERFLOW)
		code = EAI_MEMORY;
	if (acting(held_strerror_again_fail_swapped) && (code == EAI_AGAIN || code == EAI_FAIL))
		code = code == EAI_AGAIN ? EAI_FAIL : EAI_AGAIN;
	if (acting(held_strerror_system_unknown) && code == EAI_SYSTEM)
		return "Unknown error";
	if (acting(held_strerror_noname_as_service) && code == EAI_NONAME)
		code = EAI_SERVICE;
	if (acting(held_strerror_unknown_empty) &&
	    strcmp(REAL(gai_strerror)(code), REAL(gai_strerror)(-12345)) == 0)
		return "";
	return held2_gai_strerror(code);
}
