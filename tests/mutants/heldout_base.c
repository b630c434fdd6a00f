/* What every held-out library shares (heldout.c, heldout3.c; issue 20):
 * whether a mutant acts, which mutants.so knows and these libraries only
 * ask, the C library's function underneath, and the address tests. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "mutants.h"
#include "heldout.h"

bool acting(enum mutant m)
{
	static bool (*ask)(int);
	static bool looked_up;

	if (!looked_up) {
		ask = (bool (*)(int))dlsym(RTLD_DEFAULT, "nc_mutant_acting");
		looked_up = true;
	}
	return ask && ask((int)m);
}

bool any_acting(void)
{
	return acting(NO_MUTANT);	/* nc_mutant_acting(NO_MUTANT): any */
}

void *real_symbol(const char *name)
{
	void *fn = dlsym(RTLD_NEXT, name);

	if (!fn) {
		fprintf(stderr, "heldout: no next %s\n", name);
		abort();
	}
	return fn;
}

/* The port of an inet address (host order), or -1. */
int held_port(const struct sockaddr *addr, socklen_t len)
{
	if (!addr || len < sizeof(struct sockaddr_in) ||
	    (addr->sa_family != AF_INET && addr->sa_family != AF_INET6))
		return -1;
	return ntohs(((const struct sockaddr_in *)addr)->sin_port);
}

bool held_mapped(const struct sockaddr *addr, socklen_t len)
{
	return addr && len >= sizeof(struct sockaddr_in6) && addr->sa_family == AF_INET6 &&
	       IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)addr)->sin6_addr);
}

/* Every socket on local port (host order) is a connection in TIME_WAIT,
 * and there is one (the kernel's tables, /proc/net/tcp and tcp6). */
bool held_only_time_wait(int port)
{
	static const char *const tables[] = { "/proc/net/tcp", "/proc/net/tcp6" };
	bool found = false;

	for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++) {
		FILE *table = fopen(tables[i], "re");
		char line[512];
		unsigned local_port, state;

		if (!table)
			continue;
		while (fgets(line, sizeof(line), table))
			if (sscanf(line, " %*u: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", &local_port,
				   &state) == 2 && (int)local_port == port) {
				if (state != TCP_TIME_WAIT) {
					fclose(table);
					return false;
				}
				found = true;
			}
		fclose(table);
	}
	return found;
}

bool held_numeric_host(const char *text)
{
	struct in6_addr any;

	return text && (inet_pton(AF_INET, text, &any) == 1 || inet_pton(AF_INET6, text, &any) == 1);
}
