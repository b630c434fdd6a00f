/* Which axes of issue 20 apply to each clause: the paths a sentence holds
 * on, each to be given cases (mode: blocking and non-blocking; sequence: the
 * same object used again; boundary: numbers at their edges; state: TCP
 * states; form: v4, v6, v4-mapped, services and hosts by each name; field:
 * every field of every struct returned; text: a message tied to its code).
 * `netconform list --clauses` and the page's clause view show each axis
 * with the values the checks' .covers give it, or "missing".
 * One row per line, in clause order. */
#include <string.h>

#include "check.h"

const struct nc_clause_axes nc_clause_axes[] = {
	{ "handshake-1", "mode form" },
	{ "handshake-2", "form" },
	{ "handshake-3", "mode form" },
	{ "handshake-4", "mode form" },
	{ "close-1", "state form" },
	{ "close-2", "mode state form" },
	{ "close-3", "mode sequence form" },
	{ "close-4", "form" },
	{ "close-5", "state form" },
	{ "close-6", "form" },
	{ "close-7", "form" },
	{ "close-8", "form" },
	{ "close-9", "mode form" },
	{ "close-10", "form" },
	{ "close-11", "form" },
	{ "socket-1", "mode form" },
	{ "socket-2", "mode form" },
	{ "socket-3", "form" },
	{ "socket-4", "form" },
	{ "socket-5", "form field" },
	{ "connect-1", "boundary form field" },
	{ "connect-2", "state form" },
	{ "connect-3", "mode form" },
	{ "connect-4", "mode form" },
	{ "connect-5", "mode form" },
	{ "connect-6", "mode form" },
	{ "connect-7", "sequence form" },
	{ "connect-8", "sequence form" },
	{ "bind-1", "sequence form field" },
	{ "bind-2", "boundary" },
	{ "bind-3", "boundary" },
	{ "bind-4", "sequence form" },
	{ "bind-5", "boundary form" },
	{ "bind-6", "form" },
	{ "bind-7", "form" },
	{ "listen-1", "form" },
	{ "listen-2", "sequence form" },
	{ "listen-3", "boundary form" },
	{ "listen-4", "boundary" },
	{ "listen-5", "sequence" },
	{ "accept-1", "form" },
	{ "accept-2", "mode form" },
	{ "accept-3", "mode sequence" },
	{ "accept-4", "boundary form field" },
	{ "accept-5", "form" },
	{ "accept-6", "mode" },
	{ "accept-7", "mode form" },
	{ "closefn-1", "form" },
	{ "closefn-2", "form" },
	{ "getsockname-1", "state form field" },
	{ "getsockname-2", "boundary form" },
	{ "getsockname-3", "form" },
	{ "getpeername-1", "state form field" },
	{ "getpeername-2", "boundary form" },
	{ "hostent-1", "sequence" },
	{ "hostent-2", "sequence form field" },
	{ "hostent-3", "sequence boundary form field" },
	{ "hostent-4", "boundary form" },
	{ "hostent-5", "sequence form field" },
	{ "hostent-6", "sequence form field" },
	{ "hostent-7", "form field" },
	{ "hostent-8", "form field" },
	{ "hostent-9", "sequence form field" },
	{ "servent-1", "sequence" },
	{ "servent-2", "boundary form" },
	{ "servent-3", "boundary form" },
	{ "servent-4", "boundary form" },
	{ "servent-5", "sequence form field" },
	{ "servent-6", "sequence form field" },
	{ "servent-7", "sequence boundary form field" },
	{ "servent-8", "sequence form field" },
	{ "getaddrinfo-1", "sequence form field" },
	{ "getaddrinfo-2", "boundary form field" },
	{ "getaddrinfo-3", "sequence form" },
	{ "getaddrinfo-4", "form" },
	{ "getnameinfo-1", "sequence boundary form" },
	{ "getnameinfo-2", "sequence boundary form" },
	{ "getnameinfo-3", "form" },
	{ "getnameinfo-ni-numerichost", "form" },
	{ "getnameinfo-ni-numericserv", "form" },
	{ "getnameinfo-ni-namereqd", "form" },
	{ "getnameinfo-ni-nofqdn", "form" },
	{ "getnameinfo-ni-dgram", "form" },
	{ "gai-1", "sequence form" },
	{ "gai-eai-again", "sequence form" },
	{ "gai-eai-badflags", "form" },
	{ "gai-eai-fail", "form" },
	{ "gai-eai-family", "boundary form" },
	{ "gai-eai-memory", "form" },
	{ "gai-eai-noname", "sequence form" },
	{ "gai-eai-service", "boundary form" },
	{ "gai-eai-socktype", "form" },
	{ "gai-eai-system", "form" },
	{ "gai-eai-overflow", "boundary form" },
	{ "gai-2", "text" },
};

const size_t nc_n_clause_axes = sizeof(nc_clause_axes) / sizeof(nc_clause_axes[0]);

const char *nc_clause_axes_of(const char *clause)
{
	for (size_t i = 0; i < nc_n_clause_axes; i++)
		if (strcmp(nc_clause_axes[i].clause, clause) == 0)
			return nc_clause_axes[i].axes;
	return NULL;
}
