/* A hermetic resolver for one check: its own /etc/hosts, /etc/services,
 * /etc/resolv.conf, /etc/nsswitch.conf (and host.conf, gai.conf when the
 * machine has them) bind-mounted over the real ones in the check's private
 * mount namespace, and its own DNS server (lib/world/dns_server.h).  Nothing of
 * the machine's files or DNS is ever read; the mounts die with the check.
 *
 * Needs only the C library, like the checks that include it: resolver.c is
 * built into the musl program too, whose nc_dns_server_start() has the glibc
 * worker start the server, a thread of its own (musl/world.c).
 */
#ifndef NC_RESOLVER_H
#define NC_RESOLVER_H

#include "check.h"
#include "dns_server.h"

struct nc_host;

/* A nameserver line of resolv.conf, and what answers there. */
struct nc_nameserver {
	const char *address;		/* "198.18.0.2" */
	enum nc_dns_manner manner;	/* NC_DNS_NOT_SERVED: another host of the
					 * scenario, whose faults decide */
	unsigned delay_ms;		/* NC_DNS_LATE */
};
#define NC_MAX_NAMESERVERS 3		/* as many as resolv.conf is read for */

struct nc_resolver_env {
	const char *hosts;		/* /etc/hosts; NULL: empty */
	const char *services;		/* /etc/services; NULL: empty */
	const struct nc_dns_zone *zone;	/* the DNS server's answers; NULL: none */
	const char *nameserver;		/* its address; NULL: 127.0.0.1 */
	/* Instead of nameserver, several (a NULL address ends the list): those
	 * served are the DNS server's addresses, each logged by its line's
	 * index (nc_dns_query.server). */
	const struct nc_nameserver *nameservers;
	const char *options;		/* resolv.conf options; NULL: "timeout:1 attempts:1" */
	const char *search;		/* resolv.conf search line; NULL: none */
};

struct nc_resolver {
	struct nc_dns_server dns;
	struct nc_host *client;		/* host "c" of the scenario, or NULL */
	struct nc_host *server;		/* host "ns", or NULL */
};

/* Builds env for the check: the files, then the DNS server (in host "ns"
 * when ctx's scenario has one, else in the check's own namespace; on every
 * address served; none when no address is), then
 * moves the thread into host "c" (if any).  Returns 0 or -errno. */
int nc_resolver_setup(const struct nc_case_ctx *ctx, const struct nc_resolver_env *env,
		      struct nc_resolver *out);

/* The file contents nc_resolver_setup() writes (for its tests). */
int nc_resolver_conf_text(const struct nc_resolver_env *env, char *buf, size_t size);

#endif
