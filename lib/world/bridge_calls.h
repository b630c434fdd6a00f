/* The engine calls a check body built with musl makes, one row each: the
 * whole contract between musl/world.c (which sends them) and
 * harness/musl_serve.c (which serves them with the engine's functions),
 * both generated from this list, so the two cannot drift.  A new call is a
 * row here, its sender in musl/world.c and its server in musl_serve.c
 * (serve_NAME); a name, argument count or value count written differently
 * on either side does not compile.
 *
 * CALL(name, arguments, values): the fields of the request after the name,
 * and the values of the reply after its status (lib/check/remote.h).
 */
#ifndef NC_BRIDGE_CALLS_H
#define NC_BRIDGE_CALLS_H

#define NC_BRIDGE_CALLS(CALL)						\
	/* host, name, value */						\
	CALL(sysctl_set,	 3, 0)					\
	/* host, name -> value */					\
	CALL(sysctl_get,	 2, 1)					\
	/* host, name, rule */						\
	CALL(fault_add,		 3, 0)					\
	/* name */							\
	CALL(fault_del,		 1, 0)					\
	/* name, at_least (0: the count now), deadline_ms -> packets */	\
	CALL(fault_wait_packets, 3, 1)					\
	/* host, local, peer, has_peer, state (-1: as it is), deadline_ms -> diag */ \
	CALL(diag_wait_state,	 6, 1)					\
	/* host, state, local_port */					\
	CALL(diag_count,	 3, 0)					\
	/* host (status: the capture's id) */				\
	CALL(capture_open,	 1, 0)					\
	/* id, max -> segments */					\
	CALL(capture_tcp,	 2, 1)					\
	/* id, deadline_ms */						\
	CALL(capture_wait,	 2, 0)					\
	/* id */							\
	CALL(capture_close,	 1, 0)					\
	/* host, listeners, records, rule names, rule rcodes, truncated,	\
	 * dropped names, dropped qtypes, partially truncated -> address */ \
	CALL(dns_server_start,	 9, 1)					\
	/* -> stats */							\
	CALL(dns_stats,		 0, 1)

/* NC_BRIDGE_ARGS_name, NC_BRIDGE_VALUES_name: a row's counts, as constants
 * each side checks its fields against. */
#define NC_BRIDGE_COUNTS(name, n_args, n_values)			\
	NC_BRIDGE_ARGS_##name = n_args, NC_BRIDGE_VALUES_##name = n_values,
enum { NC_BRIDGE_CALLS(NC_BRIDGE_COUNTS) };
#undef NC_BRIDGE_COUNTS

#endif
