/* The engine as the checks see it, in a program that has only libc (the
 * checks built with musl): what needs no engine is done here (entering a
 * host is setns() on the namespace the glibc worker passed across exec),
 * everything else is a call to the glibc
 * worker that built the check's world and still holds it (lib/check/remote.h,
 * served by harness/musl_serve.c, each call a row of lib/world/bridge_calls.h):
 * sysctls of a host, fault counters, sock_diag, captures, the resolver world's
 * DNS server. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bridge_calls.h"
#include "capture.h"
#include "diag.h"
#include "musl_world.h"
#include "net.h"
#include "net_fault.h"
#include "remote.h"
#include "dns_server.h"
#include "error.h"
#include "timing.h"

#define COUNT(fields) (sizeof(fields) / sizeof((fields)[0]))
/* A call of lib/world/bridge_calls.h: its name and its counts of arguments
 * and values as its row says, or this does not compile. */
#define BRIDGE(name, args, n_args, values, n_values) ({				\
	_Static_assert((n_args) == NC_BRIDGE_ARGS_##name, #name ": arguments not as in bridge_calls.h"); \
	_Static_assert((n_values) == NC_BRIDGE_VALUES_##name, #name ": values not as in bridge_calls.h"); \
	nc_remote_call(#name, (args), (n_args), (values), (n_values)); })
#define CALL(name, args, values) BRIDGE(name, args, COUNT(args), values, COUNT(values))
#define CALL_ARGS(name, args) BRIDGE(name, args, COUNT(args), NULL, 0)
#define CALL_VALUES(name, values) BRIDGE(name, NULL, 0, values, COUNT(values))

/* --- Hosts: the namespaces the worker passed, by name (net.h's structs,
 * with only the name and namespace of each host filled in) --- */

/* The musl program's side of the world, in one place (the check layer's
 * own state is lib/check/state.h): one check a process. */
static struct {
	struct nc_host hosts[NC_MUSL_MAX_HOSTS];
	struct nc_net net;
	struct nc_host *current;	/* NULL: the sandbox's own namespace */
} world = { .net = { .hosts = world.hosts } };

struct nc_net *nc_musl_net_add(const char *name, int ns_fd)
{
	struct nc_host *host;

	if (world.net.n_hosts == NC_MUSL_MAX_HOSTS || strlen(name) >= sizeof(host->name))
		return NULL;
	host = &world.hosts[world.net.n_hosts++];
	snprintf(host->name, sizeof(host->name), "%s", name);
	host->ns_fd = ns_fd;
	host->net = &world.net;
	return &world.net;
}

struct nc_host *nc_net_host(struct nc_net *net, const char *name)
{
	for (size_t i = 0; net && i < net->n_hosts; i++)
		if (strcmp(net->hosts[i].name, name) == 0)
			return &net->hosts[i];
	return NULL;
}

int nc_host_enter(struct nc_host *host)
{
	if (!host)
		return nc_error(-EINVAL, "enter a host: no such host");
	if (setns(host->ns_fd, CLONE_NEWNET) < 0)
		return nc_error(-errno, "enter host %s: setns", host->name);
	world.current = host;
	return 0;
}

int nc_sysctl_set(struct nc_host *host, const char *name, const char *value)
{
	struct nc_remote_field args[] = {
		NC_REMOTE_STR(host ? host->name : ""), NC_REMOTE_STR(name), NC_REMOTE_STR(value),
	};

	return CALL_ARGS(sysctl_set, args);
}

int nc_sysctl_get(struct nc_host *host, const char *name, char *buf, size_t size)
{
	struct nc_remote_field args[] = { NC_REMOTE_STR(host ? host->name : ""), NC_REMOTE_STR(name) };
	struct nc_remote_field values[] = { { buf, size } };
	int err;

	if (size == 0)
		return -EINVAL;
	err = CALL(sysctl_get, args, values);
	buf[values[0].len ? values[0].len - 1 : 0] = '\0';
	return err;
}

/* --- Faults, by name: the worker holds them --- */

int nc_fault_add(struct nc_host *host, const char *name, const char *rule)
{
	struct nc_remote_field args[] = {
		NC_REMOTE_STR(host ? host->name : ""), NC_REMOTE_STR(name ? name : ""),
		NC_REMOTE_STR(rule ? rule : ""),
	};

	return CALL_ARGS(fault_add, args);
}

int nc_fault_del(struct nc_net *net, const char *name)
{
	struct nc_remote_field args[] = { NC_REMOTE_STR(name ? name : "") };

	(void)net;
	return CALL_ARGS(fault_del, args);
}

int nc_fault_wait_packets(struct nc_net *net, const char *name, uint64_t at_least,
			  unsigned deadline_ms, uint64_t *packets)
{
	struct nc_remote_field args[] = {
		NC_REMOTE_STR(name ? name : ""), NC_REMOTE_VAL(at_least), NC_REMOTE_VAL(deadline_ms),
	};
	struct nc_remote_field values[] = { NC_REMOTE_VAL(*packets) };

	(void)net;
	return CALL(fault_wait_packets, args, values);
}

/* The count as it is now: a wait for none. */
int nc_fault_packets(struct nc_net *net, const char *name, uint64_t *packets)
{
	return nc_fault_wait_packets(net, name, 0, 0, packets);
}

/* --- sock_diag --- */

static const struct nc_sockaddr no_address;

int nc_diag_find(struct nc_host *host, const struct nc_sockaddr *local,
		 const struct nc_sockaddr *peer, struct nc_tcp_diag *out)
{
	return nc_diag_wait_state(host, local, peer, -1, 0, out);
}

/* state -1: find it as it is now. */
int nc_diag_wait_state(struct nc_host *host, const struct nc_sockaddr *local,
		       const struct nc_sockaddr *peer, int state,
		       unsigned deadline_ms, struct nc_tcp_diag *out)
{
	int has_peer = peer != NULL;
	struct nc_remote_field args[] = {
		NC_REMOTE_STR(host ? host->name : ""), NC_REMOTE_VAL(*local),
		NC_REMOTE_VAL(*(peer ? peer : &no_address)), NC_REMOTE_VAL(has_peer),
		NC_REMOTE_VAL(state), NC_REMOTE_VAL(deadline_ms),
	};
	struct nc_remote_field values[] = { NC_REMOTE_VAL(*out) };

	return CALL(diag_wait_state, args, values);
}

int nc_diag_count(struct nc_host *host, int state, int local_port)
{
	struct nc_remote_field args[] = {
		NC_REMOTE_STR(host ? host->name : ""), NC_REMOTE_VAL(state), NC_REMOTE_VAL(local_port),
	};

	return CALL_ARGS(diag_count, args);
}

/* --- Captures: a number the worker knows them by --- */

struct nc_capture {
	int id;
};

int nc_capture_open(struct nc_host *host, struct nc_capture **out)
{
	struct nc_remote_field args[] = { NC_REMOTE_STR(host ? host->name : "") };
	struct nc_capture *cap = malloc(sizeof(*cap));
	int id;

	if (!cap)
		return -ENOMEM;
	id = CALL_ARGS(capture_open, args);
	if (id < 0) {
		free(cap);
		return id;
	}
	cap->id = id;
	*out = cap;
	return 0;
}

int nc_capture_tcp(struct nc_capture *cap, struct nc_tcp_segment *segs, size_t max)
{
	struct nc_remote_field args[] = { NC_REMOTE_VAL(cap->id), NC_REMOTE_VAL(max) };
	struct nc_remote_field values[] = { { segs, max * sizeof(*segs) } };

	return CALL(capture_tcp, args, values);
}

int nc_capture_wait(struct nc_capture *cap, unsigned deadline_ms)
{
	struct nc_remote_field args[] = { NC_REMOTE_VAL(cap->id), NC_REMOTE_VAL(deadline_ms) };

	return CALL_ARGS(capture_wait, args);
}

void nc_capture_close(struct nc_capture *cap)
{
	if (!cap)
		return;
	struct nc_remote_field args[] = { NC_REMOTE_VAL(cap->id) };

	CALL_ARGS(capture_close, args);
	free(cap);
}

/* --- The DNS server of the resolver world: forked by the worker, in the
 * host this program is in (lib/world/resolver.c, built here too, writes the
 * /etc files itself, in the mount namespace both share) --- */

/* A NULL-terminated list of strings as one field: each with its NUL. */
static struct nc_remote_field string_list(const char *const *list, char *buf, size_t size)
{
	size_t used = 0;

	for (; list && *list; list++) {
		size_t len = strlen(*list) + 1;

		if (size - used < len)
			break;
		memcpy(buf + used, *list, len);
		used += len;
	}
	return (struct nc_remote_field){ buf, used };
}

int nc_dns_servers_start(const struct nc_dns_zone *zone, const struct nc_dns_listener *listeners,
			 size_t n, struct nc_dns_server *out)
{
	static char records[16384], rule_names[4096], truncated[4096], drop_names[4096],
		partial[4096];
	const char *names[64] = { 0 }, *dropped[64] = { 0 };
	int rcodes[64] = { 0 }, qtypes[64] = { 0 };
	size_t n_rules = 0, n_dropped = 0;

	for (; zone->rules && zone->rules[n_rules].name && n_rules < 63; n_rules++) {
		names[n_rules] = zone->rules[n_rules].name;
		rcodes[n_rules] = zone->rules[n_rules].rcode;
	}
	for (; zone->dropped && zone->dropped[n_dropped].name && n_dropped < 63; n_dropped++) {
		dropped[n_dropped] = zone->dropped[n_dropped].name;
		qtypes[n_dropped] = zone->dropped[n_dropped].qtype;
	}
	struct nc_remote_field args[] = {
		NC_REMOTE_STR(world.current ? world.current->name : ""),
		{ (void *)listeners, n * sizeof(listeners[0]) },
		string_list(zone->records, records, sizeof(records)),
		string_list(names, rule_names, sizeof(rule_names)),
		{ rcodes, n_rules * sizeof(rcodes[0]) },
		string_list(zone->truncated, truncated, sizeof(truncated)),
		string_list(dropped, drop_names, sizeof(drop_names)),
		{ qtypes, n_dropped * sizeof(qtypes[0]) },
		string_list(zone->truncated_partial, partial, sizeof(partial)),
	};
	struct nc_remote_field values[] = { NC_REMOTE_VAL(out->addr) };

	int err;

	memset(out, 0, sizeof(*out));
	err = CALL(dns_server_start, args, values);
	/* the server is a thread of the glibc worker, this program's parent:
	 * its wait for a CPU delays an answer as this body's own does */
	if (err >= 0)
		nc_stopwatch_server_add(getppid());
	return err;
}

void nc_dns_server_stats(const struct nc_dns_server *server, struct nc_dns_stats *out)
{
	struct nc_remote_field values[] = { NC_REMOTE_VAL(*out) };

	(void)server;
	memset(out, 0, sizeof(*out));
	CALL_VALUES(dns_stats, values);
}
