/* Mutants of getnameinfo() and gai_strerror() (resolver.def): the forms of
 * the addresses it takes, the edges of its buffers, a call that follows
 * another, and the text of each error code. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutants.h"

/* --- getnameinfo() --- */

static bool is_mapped(const struct sockaddr *addr, socklen_t addrlen)
{
	return addr && addr->sa_family == AF_INET6 && addrlen >= sizeof(struct sockaddr_in6) &&
	       IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)addr)->sin6_addr);
}

/* The numeric form of addr's host. */
static const char *numeric_host(const struct sockaddr *addr, char *buf, socklen_t size)
{
	const void *raw = addr->sa_family == AF_INET ?
		(const void *)&((const struct sockaddr_in *)addr)->sin_addr :
		(const void *)&((const struct sockaddr_in6 *)addr)->sin6_addr;

	if (!inet_ntop(addr->sa_family, raw, buf, size))
		buf[0] = '\0';
	return buf;
}

/* A result that fits one byte short: written without its NUL, as by a
 * length check off by one. */
static int nul_dropped(const struct sockaddr *addr, socklen_t addrlen, char *host,
		       socklen_t hostlen, char *serv, socklen_t servlen, int flags)
{
	char full_host[NI_MAXHOST], full_serv[NI_MAXSERV];
	bool host_short, serv_short;

	if (REAL(getnameinfo)(addr, addrlen, host ? full_host : NULL, host ? sizeof(full_host) : 0,
			      serv ? full_serv : NULL, serv ? sizeof(full_serv) : 0, flags) != 0)
		return EAI_OVERFLOW;
	host_short = host && hostlen && strlen(full_host) >= hostlen;
	serv_short = serv && servlen && strlen(full_serv) >= servlen;
	if ((host_short && (!acting(getnameinfo_host_nul_dropped) ||
			    strlen(full_host) != hostlen)) ||
	    (serv_short && (!acting(getnameinfo_serv_nul_dropped) ||
			    strlen(full_serv) != servlen)))
		return EAI_OVERFLOW;
	if (host && hostlen)
		memcpy(host, full_host, host_short ? hostlen : strlen(full_host) + 1);
	if (serv && servlen)
		memcpy(serv, full_serv, serv_short ? servlen : strlen(full_serv) + 1);
	return 0;
}

static char last_host[NI_MAXHOST];

/* The mutants of a result. */
static int gni_answer(int code, const struct sockaddr *addr, socklen_t addrlen, char *host,
		      socklen_t hostlen, char *serv, socklen_t servlen, int flags)
{
	char numeric[INET6_ADDRSTRLEN];
	bool want_host = host && hostlen, want_serv = serv && servlen;

	if (code != 0)
		return code;
	if (want_host && strlen(host) + 1 == hostlen && acting(getnameinfo_host_exact_overflow))
		return EAI_OVERFLOW;
	if (want_serv && strlen(serv) + 1 == servlen && acting(getnameinfo_serv_exact_overflow))
		return EAI_OVERFLOW;
	if (host && !hostlen && acting(getnameinfo_hostlen_zero_written))
		host[0] = '\0';
	if (serv && !servlen && acting(getnameinfo_servlen_zero_written))
		serv[0] = '\0';
	if (want_host && (flags & NI_NUMERICHOST) && is_mapped(addr, addrlen) &&
	    acting(getnameinfo_mapped_numeric_as_inet))
		inet_ntop(AF_INET, (const char *)&((const struct sockaddr_in6 *)addr)->sin6_addr + 12,
			  host, hostlen);
	if (want_host && !(flags & NI_NUMERICHOST)) {
		if (strcmp(host, numeric_host(addr, numeric, sizeof(numeric))) != 0)
			snprintf(last_host, sizeof(last_host), "%s", host);
		else if (last_host[0] && acting(getnameinfo_keeps_last_name))
			snprintf(host, hostlen, "%s", last_host);
	}
	if (want_serv && is_number(serv) && !(flags & NI_NUMERICSERV)) {
		if (acting(getnameinfo_unknown_port_empty))
			serv[0] = '\0';
		else if (atoi(serv) > 32767 && acting(getnameinfo_high_port_negative))
			snprintf(serv, servlen, "%d", (short)atoi(serv));
	}
	return 0;
}

int getnameinfo(const struct sockaddr *restrict addr, socklen_t addrlen,
		char *restrict host, socklen_t hostlen, char *restrict serv,
		socklen_t servlen, int flags)
{
	struct sockaddr_storage changed;
	int code;

	if ((!host || !serv) && acting(getnameinfo_wants_both))
		return EAI_NONAME;
	if (acting(getnameinfo_numericserv_ignored))
		flags &= ~NI_NUMERICSERV;
	if (acting(getnameinfo_nofqdn_ignored))
		flags &= ~NI_NOFQDN;
	if (acting(getnameinfo_dgram_ignored))
		flags &= ~NI_DGRAM;
	if (acting(getnameinfo_namereqd_ignored))
		flags &= ~NI_NAMEREQD;
	if (addr && addrlen > family_len(addr->sa_family) && family_len(addr->sa_family) &&
	    acting(getnameinfo_long_addrlen_refused))
		return EAI_FAMILY;
	if (is_mapped(addr, addrlen) && acting(getnameinfo_mapped_name_unknown)) {
		if (flags & NI_NAMEREQD)
			return EAI_NONAME;
		flags |= NI_NUMERICHOST;
	}
	if (addr && addrlen >= sizeof(sa_family_t) && addrlen <= sizeof(changed) &&
	    (acting(getnameinfo_short_addrlen_accepted) || acting(getnameinfo_port_host_order))) {
		memset(&changed, 0, sizeof(changed));
		memcpy(&changed, addr, addrlen);
		if (acting(getnameinfo_port_host_order))
			port_swap_bytes(&changed, addrlen);
		if (acting(getnameinfo_short_addrlen_accepted) &&
		    addrlen < family_len(addr->sa_family))
			addrlen = family_len(addr->sa_family);
		addr = (const struct sockaddr *)&changed;
	}
	code = REAL(getnameinfo)(addr, addrlen, host, hostlen, serv, servlen, flags);
	if (code == EAI_OVERFLOW && (acting(getnameinfo_host_nul_dropped) ||
				     acting(getnameinfo_serv_nul_dropped)))
		code = nul_dropped(addr, addrlen, host, hostlen, serv, servlen, flags);
	if (code == EAI_OVERFLOW && acting(getnameinfo_overflow_truncates)) {
		char full_host[NI_MAXHOST], full_serv[NI_MAXSERV];

		code = REAL(getnameinfo)(addr, addrlen, host ? full_host : NULL,
					 host ? sizeof(full_host) : 0, serv ? full_serv : NULL,
					 serv ? sizeof(full_serv) : 0, flags);
		if (code == 0 && host && hostlen)
			snprintf(host, hostlen, "%s", full_host);
		if (code == 0 && serv && servlen)
			snprintf(serv, servlen, "%s", full_serv);
	}
	if (code == EAI_AGAIN && acting(getnameinfo_again_as_noname))
		code = EAI_NONAME;
	return gni_answer(code, addr, addrlen, host, hostlen, serv, servlen, flags);
}

/* --- gai_strerror() --- */

/* The code whose text a swapping mutant gives instead of code's. */
static int text_of(int code)
{
	static const struct {
		enum mutant mutant;
		int a, b;
	} swaps[] = {
		{ gai_strerror_noname_service_swapped, EAI_NONAME, EAI_SERVICE },
		{ gai_strerror_again_fail_swapped, EAI_AGAIN, EAI_FAIL },
		{ gai_strerror_family_socktype_swapped, EAI_FAMILY, EAI_SOCKTYPE },
		{ gai_strerror_overflow_as_memory, EAI_OVERFLOW, EAI_MEMORY },
	};

	for (size_t i = 0; i < sizeof(swaps) / sizeof(swaps[0]); i++) {
		if (!acting(swaps[i].mutant))
			continue;
		if (code == swaps[i].a)
			return swaps[i].b;
		if (code == swaps[i].b && swaps[i].mutant != gai_strerror_overflow_as_memory)
			return swaps[i].a;
	}
	if (acting(gai_strerror_table_shifted) && code < 0 && code > EAI_OVERFLOW)
		return code - 1;
	if (acting(gai_strerror_badflags_unknown) && code == EAI_BADFLAGS)
		return INT_MIN;
	return code;
}

const char *gai_strerror(int code)
{
	const char *(*real)(int) = REAL(gai_strerror);

	if (acting(gai_strerror_unknown_null) && strcmp(real(code), real(INT_MIN)) == 0)
		return NULL;
	if (acting(gai_strerror_system_empty) && code == EAI_SYSTEM)
		return "";
	if (acting(gai_strerror_system_errno_text) && code == EAI_SYSTEM)
		return strerror(errno);
	if (acting(gai_strerror_nodata_unknown) && code == EAI_NODATA)
		return real(INT_MIN);
	return real(text_of(code));
}
