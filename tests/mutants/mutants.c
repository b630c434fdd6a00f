/* Mutants of the functions under test: realistic misbehaviours, one per name
 * (mutants.def), for `make mutate` to show that the suite catches each.
 *
 * The library is preloaded into the runner; NC_MUTANT names the one mutant
 * that acts (none when unset), or NC_MUTANT_PLAN a file that gives checks
 * mutants of their own (many mutants in one run: make test).  It acts only inside a check's body (the
 * runner opens the scope around it, per thread, inherited by the threads
 * the body starts; the DNS server's thread is started outside it:
 * lib/check/mutant_scope.h) and only on the sockets checks make (AF_INET,
 * AF_INET6, AF_UNIX; stream or datagram): netlink and packet sockets, the
 * harness and the engine stay real.  A mutant that rewrites an errno acts on
 * any failing call, which the engine's own failures cannot tell from real.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "mutants.h"

static const char *const mutant_names[] = {
#define MUTANT(name, checks, what) #name,
#include "mutants.def"
#undef MUTANT
};

static enum mutant active = NO_MUTANT;
/* Per thread, and a thread started in the scope is in it too (a check's
 * own threads: pthread_create() below); the check's DNS server, a thread
 * beside its body, is started outside it, and stays outside. */
static __thread const char *scope;	/* the check whose body this is; NULL: none */

/* NC_MUTANT_PLAN: a mutant for each check it names, many in one run. */
struct planned {
	char *check;
	enum mutant mutant;
};
static struct planned *plan;
static size_t plan_len;

static enum mutant planned_for(const char *check)
{
	for (size_t i = 0; i < plan_len; i++)
		if (strcmp(plan[i].check, check) == 0)
			return plan[i].mutant;
	return NO_MUTANT;
}

/* Found by lib/check/mutant_scope.c with dlsym(). */
const char *nc_mutant_scope_set(const char *check)
{
	const char *was = scope;

	scope = check;
	if (check && plan)
		active = planned_for(check);
	return was;
}

struct started {
	void *(*start)(void *);
	void *arg;
	const char *scope;
};

static void *start_in_scope(void *p)
{
	struct started s = *(struct started *)p;

	free(p);
	scope = s.scope;
	return s.start(s.arg);
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
		   void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
	struct started *s;
	int err;

	if (!real)
		real = (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *),
				void *))real_symbol("pthread_create");
	if (!scope)
		return real(thread, attr, start, arg);
	s = malloc(sizeof(*s));
	if (!s)
		return EAGAIN;
	*s = (struct started){ start, arg, scope };
	err = real(thread, attr, start_in_scope, s);
	if (err)
		free(s);
	return err;
}

static enum mutant mutant_named(const char *name, const char *where)
{
	for (size_t i = 0; i < NO_MUTANT; i++)
		if (strcmp(name, mutant_names[i]) == 0)
			return (enum mutant)i;
	fprintf(stderr, "%s: %s: no such mutant in tests/mutants/mutants.def\n", where, name);
	_exit(2);
}

/* The plan file: "MUTANT CHECK-ID..." a line (tests/mutants/mutate.sh), a
 * check named at most once. */
static void read_plan(const char *path)
{
	char line[4096], where[PATH_MAX + 32];
	unsigned lineno = 0;
	FILE *f = fopen(path, "re");

	if (!f) {
		fprintf(stderr, "NC_MUTANT_PLAN=%s: %s\n", path, strerror(errno));
		_exit(2);
	}
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *word = strtok_r(line, " \t\n", &save);
		enum mutant m;

		snprintf(where, sizeof(where), "%s:%u", path, ++lineno);
		if (!word)
			continue;
		m = mutant_named(word, where);
		while ((word = strtok_r(NULL, " \t\n", &save))) {
			struct planned *grown;

			if (planned_for(word) != NO_MUTANT) {
				fprintf(stderr, "%s: %s has a mutant already\n", where, word);
				_exit(2);
			}
			grown = realloc(plan, (plan_len + 1) * sizeof(*plan));
			if (!grown || !(grown[plan_len].check = strdup(word))) {
				fprintf(stderr, "%s: out of memory\n", where);
				_exit(2);
			}
			grown[plan_len++].mutant = m;
			plan = grown;
		}
	}
	fclose(f);
}

__attribute__((constructor)) static void choose_mutant(void)
{
	const char *name = getenv("NC_MUTANT"), *plan_path = getenv("NC_MUTANT_PLAN");

	if (name && *name && plan_path && *plan_path) {
		fprintf(stderr, "NC_MUTANT and NC_MUTANT_PLAN: one or the other\n");
		_exit(2);
	}
	if (name && *name)
		active = mutant_named(name, "NC_MUTANT");
	else if (plan_path && *plan_path)
		read_plan(plan_path);
}

bool acting(enum mutant m)
{
	return active == m && scope;
}

bool any_acting(void)
{
	return active != NO_MUTANT && scope;
}

/* Asked by the held-out mutants' library (heldout.c), preloaded after this
 * one: whether m acts (NO_MUTANT: whether any does). */
bool nc_mutant_acting(int m)
{
	return m == NO_MUTANT ? any_acting() : acting((enum mutant)m);
}

void *real_symbol(const char *name)
{
	void *fn = dlsym(RTLD_NEXT, name);

	if (!fn) {
		fprintf(stderr, "mutants: no next %s\n", name);
		abort();
	}
	return fn;
}


static bool checks_family(int domain, int type)
{
	type &= ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	return (domain == AF_INET || domain == AF_INET6 || domain == AF_UNIX) &&
	       (type == SOCK_STREAM || type == SOCK_DGRAM);
}

/* fd is a socket of the kinds checks make, and a mutant is acting. */
static bool checks_socket(int fd)
{
	return any_acting() && checks_family(sockopt(fd, SO_DOMAIN), sockopt(fd, SO_TYPE));
}

/* A failed call's errno from -> to, when m acts. */
static int errno_swap(enum mutant m, int ret, int from, int to)
{
	if (ret < 0 && errno == from && acting(m))
		errno = to;
	return ret;
}

/* Sleeps ms, errno kept: the wait of a call that should return at once. */
void wait_ms(int ms)
{
	int saved = errno;

	poll(NULL, 0, ms);
	errno = saved;
}

socklen_t family_len(sa_family_t family)
{
	return family == AF_INET ? sizeof(struct sockaddr_in) :
	       family == AF_INET6 ? sizeof(struct sockaddr_in6) : 0;
}

/* The port of an inet address of len bytes, or NULL; at the same offset in
 * sockaddr_in and sockaddr_in6. */
static in_port_t *port_of(void *addr, socklen_t len)
{
	struct sockaddr_in *in = addr;

	if (!addr || len < offsetof(struct sockaddr_in, sin_port) + sizeof(in_port_t) ||
	    (in->sin_family != AF_INET && in->sin_family != AF_INET6))
		return NULL;
	return &in->sin_port;
}

void port_swap_bytes(void *addr, socklen_t len)
{
	in_port_t *port = port_of(addr, len);

	if (port)
		*port = (in_port_t)(*port >> 8 | *port << 8);
}

static void port_add(void *addr, socklen_t len, int delta)
{
	in_port_t *port = port_of(addr, len);

	if (port && *port)
		*port = htons((uint16_t)(ntohs(*port) + delta));
}

/* --- socket() --- */

/* What happened to a descriptor before, for the mutants of a sequence:
 * its connect() or bind() failed, the address connect() was given, an
 * accept() that failed with EAGAIN, an EOF read, an error SO_ERROR gave. */
#define TRACKED_FDS 1024
static struct fd_history {
	bool connect_failed, bind_failed, accept_eagain, accepted, eof_read, lied;
	int so_error;
	struct sockaddr_storage connected_to;
	socklen_t connected_len;
	int stashed;		/* accept_lifo: fd + 1 of a connection taken, not yet returned */
} history[TRACKED_FDS];

static struct fd_history *history_of(int fd)
{
	static struct fd_history scratch;

	if (fd >= 0 && fd < TRACKED_FDS)
		return &history[fd];
	memset(&scratch, 0, sizeof(scratch));
	return &scratch;
}

static void forget_fd(int fd)
{
	if (fd >= 0 && fd < TRACKED_FDS)
		history[fd] = (struct fd_history){ 0 };
}

static int fail_with(int err)
{
	errno = err;
	return -1;
}

/* The mutants that rewrite a returned address in place: ours, a success,
 * within the bytes the caller gave (given) and the call stored (*len). */
static void address_mutate(enum mutant sin_zero, enum mutant flowinfo, enum mutant scope_id,
			   enum mutant mapped_as_v4, struct sockaddr *addr, socklen_t *len,
			   socklen_t given)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)addr;
	socklen_t room = *len < given ? *len : given;

	if (!addr || room < sizeof(sa_family_t))
		return;
	if (acting(sin_zero) && addr->sa_family == AF_INET && room >= sizeof(struct sockaddr_in))
		memset(((struct sockaddr_in *)addr)->sin_zero, 0x5a,
		       sizeof(((struct sockaddr_in *)addr)->sin_zero));
	if (addr->sa_family != AF_INET6)
		return;
	if (acting(flowinfo) && room >= offsetof(struct sockaddr_in6, sin6_addr))
		in6->sin6_flowinfo = htonl(0x12345);
	if (acting(scope_id) && room >= sizeof(*in6))
		in6->sin6_scope_id = 7;
	if (acting(mapped_as_v4) && room >= sizeof(*in6) && given >= sizeof(struct sockaddr_in) &&
	    IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
		struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = in6->sin6_port };

		memcpy(&in.sin_addr, &in6->sin6_addr.s6_addr[12], 4);
		memset(addr, 0, sizeof(*in6));
		memcpy(addr, &in, sizeof(in));
		*len = sizeof(in);
	}
}

static bool is_mapped(const struct sockaddr *addr, socklen_t len)
{
	return addr && len >= sizeof(struct sockaddr_in6) && addr->sa_family == AF_INET6 &&
	       IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)addr)->sin6_addr);
}

int socket(int domain, int type, int protocol)
{
	bool ours = any_acting() && checks_family(domain, type);
	int fd;

	if (ours && acting(socket_protocol_ignored))
		protocol = 0;
	if (ours && acting(socket_local_stream_as_seqpacket) && domain == AF_UNIX &&
	    (type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) == SOCK_STREAM)
		type = (type & (SOCK_NONBLOCK | SOCK_CLOEXEC)) | SOCK_SEQPACKET;
	if (ours && acting(socket_inet6_as_inet) && domain == AF_INET6)
		domain = AF_INET;
	if (ours && acting(socket_dgram_zero_as_raw) && domain != AF_UNIX && protocol == 0 &&
	    (type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) == SOCK_DGRAM)
		protocol = IPPROTO_RAW;
	if (ours && acting(socket_nonblock_ignored))
		type &= ~SOCK_NONBLOCK;
	if (ours && acting(socket_cloexec_ignored))
		type &= ~SOCK_CLOEXEC;
	fd = REAL(socket)(domain, type, protocol);
	errno_swap(socket_eafnosupport_as_einval, fd, EAFNOSUPPORT, EINVAL);
	errno_swap(socket_wrong_protocol_errno, fd, EPROTONOSUPPORT, EPROTOTYPE);
	forget_fd(fd);
	return fd;
}

/* --- bind() --- */

static int port_in(const struct sockaddr *addr, socklen_t len)
{
	in_port_t *port = port_of((void *)addr, len);

	return port ? ntohs(*port) : -1;
}

/* The mutants of bind()'s numbers and forms: -1 (errno set) or 0 to
 * return at once, 1 to go on with *changed (a copy of addr, maybe
 * rewritten). */
static int bind_edges(int fd, const struct sockaddr *addr, socklen_t len,
		      struct sockaddr_storage *changed)
{
	int port = port_in(addr, len);

	memmove(changed, addr, len);
	if (acting(bind_short_addrlen_accepted) && len >= sizeof(sa_family_t) &&
	    len < family_len(addr->sa_family)) {
		memset((char *)changed + len, 0, sizeof(*changed) - len);
		return REAL(bind)(fd, (struct sockaddr *)changed, family_len(addr->sa_family));
	}
	if (acting(bind_family_mismatch_accepted) && addr->sa_family == AF_INET &&
	    sockopt(fd, SO_DOMAIN) == AF_INET6 && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
		struct sockaddr_in6 mapped = { .sin6_family = AF_INET6, .sin6_port = in->sin_port };

		mapped.sin6_addr.s6_addr[10] = mapped.sin6_addr.s6_addr[11] = 0xff;
		memcpy(&mapped.sin6_addr.s6_addr[12], &in->sin_addr, 4);
		return REAL(bind)(fd, (struct sockaddr *)&mapped, sizeof(mapped));
	}
	if (acting(bind_mapped_rejected) && is_mapped(addr, len))
		return fail_with(EAFNOSUPPORT);
	if (acting(bind_65535_rejected) && port == 65535)
		return fail_with(EINVAL);
	if (acting(bind_1024_protected) && port == 1024)
		return fail_with(EACCES);
	if (acting(bind_port0_outside_range) && port == 0)
		*port_of(changed, len) = htons((uint16_t)(1000 + getpid() % 20));
	if (acting(bind_rebind_succeeds)) {
		struct sockaddr_storage local;
		socklen_t local_len = sizeof(local);

		if (REAL(getsockname)(fd, (struct sockaddr *)&local, &local_len) == 0 &&
		    port_in((struct sockaddr *)&local, local_len) > 0)
			return 0;
	}
	return 1;
}

/* After bind() failed with err: the mutants that try again or pretend. */
static int bind_retried(int fd, const struct sockaddr *addr, socklen_t len, int err)
{
	const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
	bool wildcard = (addr->sa_family == AF_INET && in->sin_addr.s_addr == htonl(INADDR_ANY)) ||
			(addr->sa_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr));
	int on = 1, off = 0, ret = -1;

	if (err == EACCES && port_in(addr, len) == 1023 && acting(bind_1023_unprotected))
		return 0;
	if (err == EACCES && addr->sa_family == AF_INET6 && acting(bind_v6_privileged_allowed))
		return 0;
	if (err == EADDRINUSE && wildcard && acting(bind_wildcard_conflict_ignored))
		return 0;
	if (err == EADDRINUSE && wildcard && addr->sa_family == AF_INET6 &&
	    acting(bind_dualstack_conflict_ignored)) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
		ret = REAL(bind)(fd, addr, len);
	} else if (err == EADDRINUSE && acting(bind_time_wait_ignored)) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		ret = REAL(bind)(fd, addr, len);
		err = errno;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &off, sizeof(off));
	}
	if (ret < 0)
		errno = err;
	return ret;
}

int bind(int fd, __CONST_SOCKADDR_ARG addr_arg, socklen_t len)
{
	const struct sockaddr *addr = addr_arg.__sockaddr__;
	struct sockaddr_storage changed;
	bool ours = checks_socket(fd);
	int ret, off = 0;

	if (ours && len <= sizeof(changed) && family_len(addr->sa_family) == len) {
		memcpy(&changed, addr, len);
		if (acting(bind_port_byte_order))
			port_swap_bytes(&changed, len);
		if (acting(bind_wildcard_as_loopback)) {
			struct sockaddr_in *in = (struct sockaddr_in *)&changed;
			struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&changed;

			if (in->sin_family == AF_INET && in->sin_addr.s_addr == htonl(INADDR_ANY))
				in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			if (in6->sin6_family == AF_INET6 && IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr))
				in6->sin6_addr = in6addr_loopback;
		}
		addr = (const struct sockaddr *)&changed;
	}
	if (ours && acting(bind_reuseaddr_ignored))
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &off, sizeof(off));
	if (ours && history_of(fd)->bind_failed && acting(bind_again_after_failure))
		return fail_with(EINVAL);
	if (ours && len <= sizeof(changed)) {
		int early = bind_edges(fd, addr, len, &changed);

		if (early <= 0)
			return early;
		addr = (const struct sockaddr *)&changed;
	}
	ret = REAL(bind)(fd, addr, len);
	if (ours && ret < 0)
		ret = bind_retried(fd, addr, len, errno);
	errno_swap(bind_eaddrinuse_as_eacces, ret, EADDRINUSE, EACCES);
	errno_swap(bind_eacces_as_eperm, ret, EACCES, EPERM);
	errno_swap(bind_eaddrnotavail_as_einval, ret, EADDRNOTAVAIL, EINVAL);
	if (ret == 0 && ours && acting(bind_returns_fd))
		return fd;
	if (ret < 0 && ours)
		history_of(fd)->bind_failed = true;
	if (ret < 0 && ours && acting(bind_failure_returns_minus_errno))
		return -errno;
	return ret;
}

/* --- listen() --- */

int listen(int fd, int backlog)
{
	bool ours = checks_socket(fd);
	int ret;

	if (ours && acting(listen_noop))
		return 0;
	if (ours && acting(listen_twice_fails) && sockopt(fd, SO_ACCEPTCONN) == 1)
		return fail_with(EINVAL);
	if (ours && acting(listen_after_failed_bind) && history_of(fd)->bind_failed)
		return fail_with(EINVAL);
	if (ours && acting(listen_unbound_edestaddrreq) && is_tcp(fd)) {
		struct sockaddr_storage local;
		socklen_t local_len = sizeof(local);

		if (REAL(getsockname)(fd, (struct sockaddr *)&local, &local_len) == 0 &&
		    port_in((struct sockaddr *)&local, local_len) == 0)
			return fail_with(EDESTADDRREQ);
	}
	if (ours && acting(listen_backlog_zero_as_somaxconn) && backlog == 0)
		backlog = SOMAXCONN;
	if (ours && acting(listen_negative_backlog_einval) && backlog < 0)
		return fail_with(EINVAL);
	if (ours && acting(listen_negative_backlog_as_zero) && backlog < 0)
		backlog = 0;
	if (ours && acting(listen_backlog_minus_one) && backlog > 1)
		backlog--;
	if (ours && acting(listen_backlog_plus_one))
		backlog++;
	if (ours && acting(listen_backlog_ignored))
		backlog = SOMAXCONN;
	ret = REAL(listen)(fd, backlog);
	errno_swap(listen_eopnotsupp_as_einval, ret, EOPNOTSUPP, EINVAL);
	if (ret < 0 && errno == EINVAL && ours && acting(listen_connected_succeeds))
		return 0;
	return ret;
}

/* --- accept(), getsockname() and getpeername(): an address out --- */

typedef int address_call(int, __SOCKADDR_ARG, socklen_t *restrict);

/* real(), or, when overrun acts, real() writing the whole address whatever
 * *len allows (the truncation ignored). */
static int address_out(address_call *real, enum mutant overrun, int fd, struct sockaddr *addr,
		       socklen_t *len)
{
	struct sockaddr_storage full;
	socklen_t full_len = sizeof(full);
	int ret;

	if (!addr || !len || !acting(overrun) || !checks_socket(fd))
		return real(fd, addr, len);
	ret = real(fd, (struct sockaddr *)&full, &full_len);
	if (ret >= 0) {
		memcpy(addr, &full, full_len < sizeof(full) ? full_len : sizeof(full));
		*len = full_len;
	}
	return ret;
}

/* fd's queue is empty and fd blocks (or not, as blocking says). */
static bool empty_and(int fd, bool blocking)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int flags = fcntl(fd, F_GETFL);

	return flags >= 0 && !(flags & O_NONBLOCK) == blocking && poll(&pfd, 1, 0) == 0;
}

static bool blocking_and_empty(int fd)
{
	return empty_and(fd, true);
}

/* poll() for fd readable within its SO_RCVTIMEO (0: for ever). */
static bool readable_within_timeout(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timeval timeout = { 0 };
	socklen_t timeout_len = sizeof(timeout);
	long ms;

	getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, &timeout_len);
	ms = timeout.tv_sec * 1000 + timeout.tv_usec / 1000;
	return poll(&pfd, 1, ms > 0 ? (int)ms : -1) > 0;
}

/* accept() with SO_RCVTIMEO set to ms for the call. */
static int accept_within(int fd, struct sockaddr *addr, socklen_t *len, int ms)
{
	struct timeval asked, cut = { .tv_sec = 0, .tv_usec = ms * 1000 };
	socklen_t asked_len = sizeof(asked);
	int ret, saved;

	if (getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &asked, &asked_len) < 0)
		return REAL(accept)(fd, addr, len);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &cut, sizeof(cut));
	ret = REAL(accept)(fd, addr, len);
	saved = errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &asked, sizeof(asked));
	errno = saved;
	return ret;
}

/* accept_lifo: with a second connection ready behind the first, returns
 * the second and keeps the first for the next call. */
static int accept_newest_first(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct fd_history *listener = history_of(fd);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int first, second;

	if (listener->stashed) {
		first = listener->stashed - 1;
		listener->stashed = 0;
		if (addr && len)
			REAL(getpeername)(first, addr, len);
		return first;
	}
	first = REAL(accept)(fd, addr, len);
	if (first < 0 || poll(&pfd, 1, 0) != 1)
		return first;
	second = REAL(accept)(fd, addr, len);
	if (second < 0)
		return first;
	listener->stashed = first + 1;
	return second;
}

/* The mutants of a socket accept() or accept4() returns. */
static void accepted_mutate(int listen_fd, int fd, int flags)
{
	history_of(fd)->accepted = true;
	if (acting(accept_inherits_nonblock) && nonblocking(listen_fd))
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (acting(accept4_flags_on_listener) && (flags & SOCK_NONBLOCK))
		fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
}

/* Before the call: -1 (errno set) when a mutant fails it, else 0. */
static int accept_refused(int fd, struct sockaddr *addr, socklen_t *len)
{
	struct fd_history *listener = history_of(fd);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (acting(accept_null_null_efault) && !addr && !len)
		return fail_with(EFAULT);
	if (acting(accept_zero_len_einval) && addr && len && *len == 0)
		return fail_with(EINVAL);
	if (acting(accept_after_eagain_fails) && listener->accept_eagain)
		return fail_with(EAGAIN);
	if (acting(accept_nonblocking_filled_eagain) && !listener->lied && nonblocking(fd) &&
	    poll(&pfd, 1, 0) == 1) {
		listener->lied = true;
		return fail_with(EAGAIN);
	}
	return 0;
}

int accept4(int fd, __SOCKADDR_ARG addr_arg, socklen_t *restrict len, int flags)
{
	struct sockaddr *addr = addr_arg.__sockaddr__;
	bool ours = checks_socket(fd);
	int asked = flags, ret;

	if (ours && accept_refused(fd, addr, len) < 0)
		return -1;
	if (ours && acting(accept4_nonblock_ignored))
		flags &= ~SOCK_NONBLOCK;
	if (ours && acting(accept4_cloexec_ignored))
		flags &= ~SOCK_CLOEXEC;
	ret = REAL(accept4)(fd, addr, len, flags);
	if (ret >= 0 && ours)
		accepted_mutate(fd, ret, asked);
	return ret;
}

int accept(int fd, __SOCKADDR_ARG addr_arg, socklen_t *restrict len)
{
	struct sockaddr *addr = addr_arg.__sockaddr__;
	bool ours = checks_socket(fd);
	socklen_t given = len ? *len : 0;
	int ret;

	if (ours && accept_refused(fd, addr, len) < 0)
		return -1;

	if (ours && acting(accept_null_addr_efault) && !addr && len) {
		errno = EFAULT;
		return -1;
	}
	if (ours && acting(accept_empty_returns_at_once) && blocking_and_empty(fd)) {
		errno = EAGAIN;
		return -1;
	}
	if (ours && acting(accept_timeout_cut_short) && blocking_and_empty(fd))
		return accept_within(fd, addr, len, 50);
	if (ours && acting(accept_nonblocking_waits) && empty_and(fd, false)) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		poll(&pfd, 1, 200);
	}
	if (ours && acting(accept_sleeps_in_poll) && blocking_and_empty(fd) &&
	    !readable_within_timeout(fd)) {
		errno = EAGAIN;
		return -1;
	}
	if (ours && acting(accept_filled_waits) && !nonblocking(fd) && !blocking_and_empty(fd))
		wait_ms(200);
	if (ours && acting(accept_lifo))
		ret = accept_newest_first(fd, addr, len);
	else
		ret = address_out(REAL(accept), accept_truncation_overrun, fd, addr, len);
	if (ret < 0 && errno == EAGAIN && ours)
		history_of(fd)->accept_eagain = true;
	if (ret >= 0 && ours)
		accepted_mutate(fd, ret, 0);
	errno_swap(accept_eagain_as_etimedout, ret, EAGAIN, ETIMEDOUT);
	errno_swap(accept_eagain_as_eintr, ret, EAGAIN, EINTR);
	errno_swap(accept_einval_as_eopnotsupp, ret, EINVAL, EOPNOTSUPP);
	errno_swap(accept_ebadf_as_enotsock, ret, EBADF, ENOTSOCK);
	if (ret < 0 || !ours || !len)
		return ret;
	if (acting(accept_addrlen_unset))
		*len = given;
	if (acting(accept_peer_port_host_order))
		port_swap_bytes(addr, *len < given ? *len : given);
	address_mutate(accept_sin_zero_garbage, accept_v6_flowinfo_garbage,
		       accept_v6_scope_id_garbage, accept_mapped_peer_as_v4, addr, len, given);
	if (acting(accept_v6_len_as_v4) && addr && addr->sa_family == AF_INET6)
		*len = sizeof(struct sockaddr_in);
	return ret;
}

int getsockname(int fd, __SOCKADDR_ARG addr_arg, socklen_t *restrict len)
{
	struct sockaddr *addr = addr_arg.__sockaddr__;
	bool ours = checks_socket(fd);
	socklen_t given = len ? *len : 0;
	int ret;

	if (ours && acting(getsockname_peer_instead)) {
		if (REAL(getpeername)(fd, addr, len) == 0)
			return 0;
		*len = given;
	}
	if (ours && acting(getsockname_zero_len_einval) && len && *len == 0)
		return fail_with(EINVAL);
	ret = address_out(REAL(getsockname), getsockname_truncation_overrun, fd, addr, len);
	errno_swap(getsockname_ebadf_as_enotsock, ret, EBADF, ENOTSOCK);
	if (ret < 0 && acting(getsockname_failure_returns_minus_errno))
		return -errno;
	if (ret < 0 || !ours)
		return ret;
	if (acting(getsockname_exact_len_truncates) && given == *len && given > 0) {
		/* the last byte given back as the caller's, as if one short */
		((unsigned char *)addr)[given - 1] = 0xa5;
	}
	if (acting(getsockname_unbound_v6_short_len) && addr->sa_family == AF_INET6 &&
	    port_of(addr, given) && *port_of(addr, given) == 0)
		*len = sizeof(struct sockaddr_in);
	if (acting(getsockname_syn_sent_unbound) && tcp_state(fd) == TCP_SYN_SENT) {
		in_port_t *port = port_of(addr, *len < given ? *len : given);

		if (port)
			*port = 0;
	}
	address_mutate(getsockname_sin_zero_garbage, getsockname_v6_flowinfo_garbage, NO_MUTANT,
		       getsockname_mapped_as_v4, addr, len, given);
	if (acting(getsockname_port_host_order))
		port_swap_bytes(addr, *len < given ? *len : given);
	if (acting(getsockname_len_unset))
		*len = given;
	if (acting(getsockname_len_is_copied) && *len > given)
		*len = given;
	return ret;
}

/* The state mutants of getpeername(): -1 (errno set) or 0 (the address
 * connect() was given, stored) to return at once, 1 to go on. */
static int peername_by_state(int fd, struct sockaddr *addr, socklen_t *len, socklen_t given)
{
	struct fd_history *h = history_of(fd);
	int state = tcp_state(fd);

	if ((state == TCP_CLOSE_WAIT && acting(getpeername_close_wait_enotconn)) ||
	    (state == TCP_FIN_WAIT2 && acting(getpeername_fin_wait2_enotconn)))
		return fail_with(ENOTCONN);
	if (h->connected_len && addr && len &&
	    ((state == TCP_SYN_SENT && acting(getpeername_syn_sent_succeeds)) ||
	     (state == TCP_CLOSE && acting(getpeername_after_reset_stale)))) {
		memcpy(addr, &h->connected_to, given < h->connected_len ? given : h->connected_len);
		*len = h->connected_len;
		return 0;
	}
	return 1;
}

/* The fields of addr beside family, port and address (sin_zero;
 * sin6_flowinfo, sin6_scope_id) as before had them: never written. */
static void padding_put_back(struct sockaddr *addr, socklen_t room, const unsigned char *before)
{
	static const struct { sa_family_t family; size_t at, size; } padding[] = {
		{ AF_INET, offsetof(struct sockaddr_in, sin_zero), sizeof(((struct sockaddr_in *)0)->sin_zero) },
		{ AF_INET6, offsetof(struct sockaddr_in6, sin6_flowinfo), sizeof(uint32_t) },
		{ AF_INET6, offsetof(struct sockaddr_in6, sin6_scope_id), sizeof(uint32_t) },
	};

	for (size_t i = 0; i < sizeof(padding) / sizeof(padding[0]); i++)
		if (addr->sa_family == padding[i].family && padding[i].at + padding[i].size <= room)
			memcpy((unsigned char *)addr + padding[i].at, before + padding[i].at,
			       padding[i].size);
}

int getpeername(int fd, __SOCKADDR_ARG addr_arg, socklen_t *restrict len)
{
	struct sockaddr *addr = addr_arg.__sockaddr__;
	socklen_t given = len ? *len : 0;
	bool ours = checks_socket(fd);
	unsigned char before[sizeof(struct sockaddr_storage)];
	int ret;

	if (addr && given >= sizeof(before))
		memcpy(before, addr, sizeof(before));

	if (ours && acting(getpeername_zero_len_einval) && len && *len == 0)
		return fail_with(EINVAL);
	if (ours && (ret = peername_by_state(fd, addr, len, given)) <= 0)
		return ret;
	ret = address_out(REAL(getpeername), getpeername_truncation_overrun, fd, addr, len);

	errno_swap(getpeername_enotsock_as_ebadf, ret, ENOTSOCK, EBADF);
	if (ret < 0 && errno == ENOTCONN && checks_socket(fd) &&
	    acting(getpeername_unconnected_zero)) {
		struct sockaddr_storage zero = { .ss_family = (sa_family_t)sockopt(fd, SO_DOMAIN) };
		socklen_t zero_len = family_len(zero.ss_family);

		memcpy(addr, &zero, given < zero_len ? given : zero_len);
		*len = zero_len;
		return 0;
	}
	if (ret == 0 && acting(getpeername_port_off_by_one) && checks_socket(fd))
		port_add(addr, *len < given ? *len : given, 1);
	if (ret == 0 && ours) {
		address_mutate(getpeername_sin_zero_garbage, NO_MUTANT, getpeername_v6_scope_id_garbage,
			       getpeername_mapped_as_v4, addr, len, given);
		if (acting(getpeername_padding_unwritten) && addr && given >= sizeof(before))
			padding_put_back(addr, *len < given ? *len : given, before);
		if (acting(getpeername_len_unset))
			*len = given;
	}
	return ret;
}

/* --- connect() --- */

static void clock_start(struct timespec *start)
{
	clock_gettime(CLOCK_MONOTONIC, start);
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* A blocking connect() that reports success once the SYN is out: the
 * attempt started non-blocking, its EINPROGRESS taken for done. */
static int connect_without_waiting(int fd, const struct sockaddr *addr, socklen_t len)
{
	int flags = fcntl(fd, F_GETFL), ret, saved;

	if (flags < 0 || (flags & O_NONBLOCK))
		return REAL(connect)(fd, addr, len);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	ret = REAL(connect)(fd, addr, len);
	saved = errno;
	fcntl(fd, F_SETFL, flags);
	if (ret < 0 && saved == EINPROGRESS)
		return 0;
	errno = saved;
	return ret;
}

int connect(int fd, __CONST_SOCKADDR_ARG addr_arg, socklen_t len)
{
	const struct sockaddr *addr = addr_arg.__sockaddr__;
	struct sockaddr_storage changed;
	bool ours = checks_socket(fd);
	struct timespec start;
	int ret;

	if (ours && acting(connect_unusable_after_failure) && history_of(fd)->connect_failed)
		return fail_with(ECONNABORTED);
	if (ours && acting(connect_mapped_rejected) && is_mapped(addr, len))
		return fail_with(ENETUNREACH);
	if (ours && len <= sizeof(history_of(fd)->connected_to)) {
		memcpy(&history_of(fd)->connected_to, addr, len);
		history_of(fd)->connected_len = len;
	}
	if (ours && acting(connect_nonblocking_blocks) && is_tcp(fd) && nonblocking(fd)) {
		int flags = fcntl(fd, F_GETFL), saved;

		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
		ret = REAL(connect)(fd, addr, len);
		saved = errno;
		fcntl(fd, F_SETFL, flags);
		errno = saved;
		return ret;
	}
	if (ours && acting(connect_port_off_by_one) && len <= sizeof(changed)) {
		memcpy(&changed, addr, len);
		port_add(&changed, len, 1);
		addr = (const struct sockaddr *)&changed;
	}
	if (ours && acting(connect_short_addrlen_accepted) && len >= sizeof(sa_family_t) &&
	    len < family_len(addr->sa_family)) {
		memset(&changed, 0, sizeof(changed));
		memcpy(&changed, addr, len);
		len = family_len(addr->sa_family);
		addr = (const struct sockaddr *)&changed;
	}
	if (ours && acting(connect_returns_before_established) && is_tcp(fd))
		return connect_without_waiting(fd, addr, len);
	clock_start(&start);
	ret = REAL(connect)(fd, addr, len);
	if (ret < 0 && errno == ECONNREFUSED && acting(connect_refused_waits))
		wait_ms(1000);
	/* a soft error is reported only at the timeout, a second or more on */
	if (ret < 0 && (errno == EHOSTUNREACH || errno == ENETUNREACH) && elapsed_ms(&start) >= 900)
		errno_swap(connect_soft_error_lost, ret, errno, ETIMEDOUT);
	errno_swap(connect_etimedout_as_ehostunreach, ret, ETIMEDOUT, EHOSTUNREACH);
	errno_swap(connect_refused_as_etimedout, ret, ECONNREFUSED, ETIMEDOUT);
	errno_swap(connect_ehostunreach_as_enetunreach, ret, EHOSTUNREACH, ENETUNREACH);
	errno_swap(connect_eacces_as_eperm, ret, EACCES, EPERM);
	if (ours)
		errno_swap(connect_einprogress_as_eagain, ret, EINPROGRESS, EAGAIN);
	if (ret < 0 && errno != EINPROGRESS && errno != EAGAIN && ours)
		history_of(fd)->connect_failed = true;
	return ret;
}

/* --- close() and exit() --- */

/* SO_LINGER 0: close() sends RST. */
static void abort_on_close(int fd)
{
	struct linger abort = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
}

void exit(int status)
{
	if (acting(exit_aborts_connections))
		for (int fd = 0; fd < TRACKED_FDS; fd++)
			if (is_tcp(fd))
				abort_on_close(fd);
	REAL(exit)(status);
	__builtin_unreachable();
}

int close(int fd)
{
	int ret;

	if (checks_socket(fd)) {
		if (acting(close_noop))
			return 0;
		if (acting(close_ignores_refcount))
			shutdown(fd, SHUT_RDWR);
		if (acting(close_sends_rst) && is_tcp(fd))
			abort_on_close(fd);
		if (is_tcp(fd) && ((acting(close_in_close_wait_rst) && tcp_state(fd) == TCP_CLOSE_WAIT) ||
				   (acting(close_accepted_sends_rst) && history_of(fd)->accepted) ||
				   (acting(close_v6_sends_rst) && sockopt(fd, SO_DOMAIN) == AF_INET6) ||
				   (acting(close_nonblocking_sends_rst) && nonblocking(fd))))
			abort_on_close(fd);
		if (acting(close_drains_unread) && is_tcp(fd)) {
			char buf[4096];

			while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				;
		}
	}
	forget_fd(fd);
	ret = REAL(close)(fd);
	if (ret < 0 && errno == EBADF && acting(close_ebadf_ignored))
		return 0;
	return ret;
}

/* --- read() --- */

/* Whether the peer's FIN is in, with n bytes queued ahead of it. */
static bool fin_queued(int fd, int *n)
{
	struct pollfd pfd = { .fd = fd, .events = POLLRDHUP };

	*n = 0;
	return is_tcp(fd) && poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLRDHUP) &&
	       ioctl(fd, SIOCINQ, n) == 0;
}

ssize_t read(int fd, void *buf, size_t count)
{
	struct fd_history *h;
	ssize_t ret;
	int queued;

	if (!any_acting() || !checks_socket(fd))
		return REAL(read)(fd, buf, count);
	h = history_of(fd);
	if (acting(read_eof_before_data) && !h->lied && count && fin_queued(fd, &queued) &&
	    queued > 0) {
		h->lied = true;
		return 0;
	}
	if (acting(read_last_byte_lost) && count && fin_queued(fd, &queued) && queued > 0 &&
	    (size_t)queued <= count) {
		ret = REAL(read)(fd, buf, count);
		return ret == queued ? ret - 1 : ret;
	}
	ret = REAL(read)(fd, buf, count);
	if (ret < 0 && errno == EAGAIN && acting(read_empty_as_eof))
		return 0;
	if (ret < 0 && errno == ECONNRESET && acting(read_reset_as_eof))
		return 0;
	if (ret == 0 && count && acting(read_eof_as_eagain) && nonblocking(fd))
		return fail_with(EAGAIN);
	if (ret == 0 && count && acting(read_eof_once) && h->eof_read)
		return fail_with(ENOTCONN);
	if (ret == 0 && count)
		h->eof_read = true;
	return ret;
}

/* --- getsockopt() and poll(): a non-blocking connect()'s outcome --- */

static int so_error_mutate(int fd, int value)
{
	struct fd_history *h = history_of(fd);

	if (value == ECONNREFUSED && acting(so_error_refused_as_etimedout))
		value = ETIMEDOUT;
	else if (value == ETIMEDOUT && acting(so_error_timedout_as_ehostunreach))
		value = EHOSTUNREACH;
	else if ((value == EHOSTUNREACH || value == ENETUNREACH) && acting(so_error_soft_error_lost))
		value = ETIMEDOUT;
	if (value && acting(so_error_lost))
		value = 0;
	if (acting(so_error_not_cleared)) {
		if (value)
			h->so_error = value;
		else
			value = h->so_error;
	}
	return value;
}

int getsockopt(int fd, int level, int name, void *restrict value, socklen_t *restrict len)
{
	int ret = REAL(getsockopt)(fd, level, name, value, len);

	if (ret < 0 || level != SOL_SOCKET || !value || !len || *len < sizeof(int) ||
	    !checks_socket(fd))
		return ret;
	if (name == SO_ERROR)
		*(int *)value = so_error_mutate(fd, *(int *)value);
	if (name == SO_TYPE && acting(so_type_reports_flags) && nonblocking(fd))
		*(int *)value |= SOCK_NONBLOCK;
	return ret;
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	int ready = 0;

	if (acting(connect_completion_woken_late))
		for (nfds_t i = 0; i < n; i++)
			if ((fds[i].events & POLLOUT) && checks_socket(fds[i].fd) &&
			    (tcp_state(fds[i].fd) == TCP_ESTABLISHED ||
			     tcp_state(fds[i].fd) == TCP_CLOSE)) {
				wait_ms(300);
				break;
			}

	if (acting(poll_writable_while_connecting))
		for (nfds_t i = 0; i < n; i++)
			if ((fds[i].events & POLLOUT) && tcp_state(fds[i].fd) == TCP_SYN_SENT) {
				fds[i].revents = POLLOUT;
				ready++;
			}
	if (ready) {
		for (nfds_t i = 0; i < n; i++)
			if (!(fds[i].events & POLLOUT) || tcp_state(fds[i].fd) != TCP_SYN_SENT)
				fds[i].revents = 0;
		return ready;
	}
	return REAL(poll)(fds, n, timeout);
}
