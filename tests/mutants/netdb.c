/* Mutants of gethostbyname(), gethostbyaddr(), getservbyname() and
 * getservbyport() (mutants.def, resolver.def): each changes one thing the
 * document says of the struct they return, of a form of the question, or
 * of a call that follows another. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mutants.h"

static char *no_names[] = { NULL };

/* A copy of h in one malloc()ed block (never freed: the mutant leaks it). */
static struct hostent *hostent_copy(const struct hostent *h)
{
	size_t n_aliases = 0, n_addrs = 0, size = sizeof(*h);
	struct hostent *copy;
	char *at;

	while (h->h_aliases[n_aliases])
		size += strlen(h->h_aliases[n_aliases++]) + 1;
	while (h->h_addr_list[n_addrs])
		n_addrs++;
	size += (n_aliases + n_addrs + 2) * sizeof(char *) + n_addrs * (size_t)h->h_length +
		strlen(h->h_name) + 1;
	copy = malloc(size);
	if (!copy)
		return NULL;
	*copy = *h;
	copy->h_aliases = (char **)(copy + 1);
	copy->h_addr_list = copy->h_aliases + n_aliases + 1;
	at = (char *)(copy->h_addr_list + n_addrs + 1);
	for (size_t i = 0; i < n_addrs; i++, at += h->h_length)
		copy->h_addr_list[i] = memcpy(at, h->h_addr_list[i], (size_t)h->h_length);
	copy->h_addr_list[n_addrs] = NULL;
	for (size_t i = 0; i < n_aliases; i++, at += strlen(at) + 1)
		copy->h_aliases[i] = strcpy(at, h->h_aliases[i]);
	copy->h_aliases[n_aliases] = NULL;
	copy->h_name = strcpy(at, h->h_name);
	return copy;
}

static void drop_last(char **list)
{
	size_t n = 0;

	while (list[n])
		n++;
	if (n)
		list[n - 1] = NULL;
}

static void set_name(char **field, const char *name)
{
	static __thread char copy[256];

	snprintf(copy, sizeof(copy), "%s", name);
	*field = copy;
}

/* --- gethostbyname() --- */

static bool has_capital(const char *name)
{
	for (; *name; name++)
		if (*name >= 'A' && *name <= 'Z')
			return true;
	return false;
}

/* For the mutants of a call after a failed or a successful one. */
static char last_name[256];
static int first_h_errno, pending_h_errno;

static struct hostent *by_name_failed(const char *name)
{
	if (acting(gethostbyname_h_errno_kept)) {
		if (first_h_errno)
			h_errno = first_h_errno;
		else
			first_h_errno = h_errno;
	}
	if (acting(gethostbyname_fails_after_failure))
		pending_h_errno = h_errno;
	if (acting(gethostbyname_keeps_last_answer) && last_name[0] &&
	    strcmp(last_name, name) != 0)
		return REAL(gethostbyname)(last_name);
	if (acting(gethostbyname_other_family)) {
		struct hostent *h = gethostbyname2(name, AF_INET6);

		if (h) {
			h->h_addrtype = AF_INET;
			h->h_length = 4;
		}
		return h;
	}
	return NULL;
}

struct hostent *gethostbyname(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	struct hostent *h;

	if (pending_h_errno && acting(gethostbyname_fails_after_failure)) {
		h_errno = pending_h_errno;
		pending_h_errno = 0;
		return NULL;
	}
	if (n && name[n - 1] == '.' && acting(gethostbyname_absolute_name_fails)) {
		h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	h = REAL(gethostbyname)(name);
	if (h && acting(gethostbyname_numeric_fails) && strspn(name, "0123456789.") == n) {
		h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	if (h && acting(gethostbyname_case_sensitive) && has_capital(name)) {
		h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	if (!h) {
		if (h_errno == TRY_AGAIN && acting(gethostbyname_error_waits))
			wait_ms(2000);
		if (acting(gethostbyname_h_errno_not_found))
			h_errno = HOST_NOT_FOUND;
		return by_name_failed(name);
	}
	snprintf(last_name, sizeof(last_name), "%s", name);
	if (acting(gethostbyname_alias_unknown) && is_alias_of(name, h->h_name)) {
		h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	if (acting(gethostbyname_name_as_asked))
		set_name(&h->h_name, name);
	if (acting(gethostbyname_h_length_unset))
		h->h_length = 0;
	if (acting(gethostbyname_addrtype_inet6) && h->h_addrtype == AF_INET)
		h->h_addrtype = AF_INET6;
	if (acting(gethostbyname_aliases_dropped))
		h->h_aliases = no_names;
	if (acting(gethostbyname_last_alias_dropped))
		drop_last(h->h_aliases);
	if (!h->h_aliases[0] && acting(gethostbyname_no_aliases_null))
		h->h_aliases = NULL;
	if (acting(gethostbyname_official_in_aliases)) {
		static char *with_official[64];
		size_t i = 0;

		with_official[0] = h->h_name;
		while (i < 62 && h->h_aliases[i]) {
			with_official[i + 1] = h->h_aliases[i];
			i++;
		}
		with_official[i + 1] = NULL;
		h->h_aliases = with_official;
	}
	if (acting(gethostbyname_addr_host_order))
		for (char **a = h->h_addr_list; *a; a++)
			for (int i = 0, j = h->h_length - 1; i < j; i++, j--) {
				char byte = (*a)[i];

				(*a)[i] = (*a)[j];
				(*a)[j] = byte;
			}
	if (acting(gethostbyname_addr_duplicated))
		for (char **a = h->h_addr_list; *a; a++)
			*a = h->h_addr_list[0];
	if (acting(gethostbyname_first_addr_only) && h->h_addr_list[0])
		h->h_addr_list[1] = NULL;
	if (acting(gethostbyname_not_static))
		return hostent_copy(h);
	return h;
}

/* --- gethostbyaddr() --- */

/* A hostent for addr named by its own text (static, as gethostbyaddr()'s). */
static struct hostent *numeric_hostent(const void *addr, socklen_t len, int type)
{
	static char name[INET6_ADDRSTRLEN], bytes[16];
	static char *addrs[] = { bytes, NULL };
	static struct hostent numeric = { .h_name = name, .h_aliases = no_names,
					  .h_addr_list = addrs };

	if (len > sizeof(bytes) || !inet_ntop(type, addr, name, sizeof(name)))
		return NULL;
	memcpy(bytes, addr, len);
	numeric.h_addrtype = type;
	numeric.h_length = (int)len;
	return &numeric;
}

static struct {
	unsigned char addr[16];
	socklen_t len;
	int type;
} last_addr;

struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type)
{
	struct hostent *h;

	if (acting(gethostbyaddr_type_ignored)) {
		type = AF_INET;
		len = 4;
	}
	if (acting(gethostbyaddr_len_ignored))
		len = type == AF_INET ? 4 : type == AF_INET6 ? 16 : len;
	if (type == AF_INET6 && len == 16 && IN6_IS_ADDR_V4MAPPED((const struct in6_addr *)addr) &&
	    acting(gethostbyaddr_mapped_unknown)) {
		h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	if (type == AF_INET6 && acting(gethostbyaddr_inet6_fails)) {
		h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	h = REAL(gethostbyaddr)(addr, len, type);
	if (!h && h_errno == TRY_AGAIN && acting(gethostbyaddr_h_errno_not_found))
		h_errno = HOST_NOT_FOUND;
	if (!h && acting(gethostbyaddr_numeric_fallback))
		return numeric_hostent(addr, len, type);
	if (!h && last_addr.len && acting(gethostbyaddr_keeps_last_answer))
		return REAL(gethostbyaddr)(last_addr.addr, last_addr.len, last_addr.type);
	if (!h)
		return h;
	if (len <= sizeof(last_addr.addr)) {
		memcpy(last_addr.addr, addr, len);
		last_addr.len = len;
		last_addr.type = type;
	}
	if (acting(gethostbyaddr_name_is_alias) && h->h_aliases[0])
		h->h_name = h->h_aliases[0];
	if (acting(gethostbyaddr_h_addrtype_unset))
		h->h_addrtype = 0;
	if (acting(gethostbyaddr_h_length_4))
		h->h_length = 4;
	if (acting(gethostbyaddr_aliases_dropped))
		h->h_aliases = no_names;
	if (acting(gethostbyaddr_addr_list_empty))
		h->h_addr_list[0] = NULL;
	if (acting(gethostbyaddr_not_static))
		return hostent_copy(h);
	return h;
}

/* --- getservbyname() and getservbyport() --- */

static struct servent *servent_copy(const struct servent *s)
{
	struct servent *copy = malloc(sizeof(*copy));

	if (copy)
		*copy = *s;	/* the strings stay the C library's */
	return copy;
}

/* What every lookup's answer goes through. */
static struct servent *servent_out(struct servent *s)
{
	if (!s)
		return s;
	if (acting(servent_s_proto_tcp))
		s->s_proto = (char *)"tcp";
	if (acting(servent_s_port_sign_extended))
		s->s_port = (short)s->s_port;
	if (acting(servent_last_alias_dropped))
		drop_last(s->s_aliases);
	if (!s->s_aliases[0] && acting(servent_no_aliases_null))
		s->s_aliases = NULL;
	return s;
}

static struct {
	char name[64], proto[8];
	bool any;
	int port;
} last_serv;

static void remember_serv(const char *name, int port, const char *proto)
{
	snprintf(last_serv.name, sizeof(last_serv.name), "%s", name ? name : "");
	snprintf(last_serv.proto, sizeof(last_serv.proto), "%s", proto ? proto : "");
	last_serv.any = !proto;
	last_serv.port = port;
}

static const char *last_proto(void)
{
	return last_serv.any ? NULL : last_serv.proto;
}

struct servent *getservbyname(const char *name, const char *proto)
{
	const char *asked = proto;
	struct servent *s;
	int tcp_port = -1;

	if (acting(getservbyname_proto_ignored))
		proto = NULL;
	if (!proto && acting(getservbyname_null_proto_tcp_only))
		proto = "tcp";
	if (proto && strcmp(proto, "udp") == 0 && acting(getservbyname_udp_port_of_tcp)) {
		s = REAL(getservbyname)(name, "tcp");
		tcp_port = s ? s->s_port : -1;
	}
	s = REAL(getservbyname)(name, proto);
	if (!s && is_number(name) && acting(getservbyname_number_as_name))
		s = REAL(getservbyport)(htons((uint16_t)atoi(name)), proto);
	if (!s && last_serv.name[0] && acting(getservbyname_keeps_last_answer))
		return REAL(getservbyname)(last_serv.name, last_proto());
	if (!s)
		return s;
	remember_serv(name, 0, proto);
	if (acting(getservbyname_alias_unknown) && strcmp(s->s_name, name) != 0)
		return NULL;
	if (acting(getservbyname_alias_as_s_name))
		set_name(&s->s_name, name);
	if (tcp_port != -1)
		s->s_port = tcp_port;
	if (acting(getservbyname_port_host_order))
		s->s_port = ntohs((uint16_t)s->s_port);
	if (acting(getservbyname_aliases_dropped))
		s->s_aliases = no_names;
	if (acting(getservbyname_s_proto_asked))
		s->s_proto = (char *)asked;
	return servent_out(s);
}

struct servent *getservbyport(int port, const char *proto)
{
	struct servent *s;

	if (acting(getservbyport_proto_ignored))
		proto = NULL;
	if ((short)port < 0 && acting(getservbyport_signed_port))
		return NULL;
	if (!proto && acting(getservbyport_null_proto_fails))
		return NULL;
	if (!proto && acting(getservbyport_null_proto_udp_first) &&
	    (s = REAL(getservbyport)(port, "udp")))
		return servent_out(s);
	s = REAL(getservbyport)(port, proto);
	if (!s && acting(getservbyport_either_order)) {
		uint16_t asked = (uint16_t)port;

		s = REAL(getservbyport)((uint16_t)(asked >> 8 | asked << 8), proto);
	}
	if (!s && last_serv.port && acting(getservbyport_keeps_last_answer))
		return REAL(getservbyport)(last_serv.port, last_proto());
	if (!s)
		return s;
	remember_serv(NULL, port, proto);
	if (acting(getservbyport_alias_as_s_name) && s->s_aliases[0])
		s->s_name = s->s_aliases[0];
	if (acting(getservbyport_not_static))
		return servent_out(servent_copy(s));
	return servent_out(s);
}
