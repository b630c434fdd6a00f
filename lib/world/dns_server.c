/* The check's DNS server (lib/world/dns_server.h): its sockets bound, its
 * thread started, kept apart from the check, and stopped.  What it does
 * meanwhile is dns_loop.c's. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"
#include "dns_answer.h"
#include "dns_serving.h"
#include "mutant_scope.h"

static void listeners_close(struct listener *listeners, size_t n);

static int by_number(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Closes every descriptor of the calling thread's table but keep[n], as
 * far as it can. */
static void close_all_but(int *keep, size_t n)
{
	unsigned from = 0;
	char entries[4096];
	long got;
	int dir;

	qsort(keep, n, sizeof(keep[0]), by_number);
	for (size_t i = 0; i <= n; i++) {
		unsigned to = i < n ? (unsigned)keep[i] : ~0u;

		if (to > from && close_range(from, to - 1, 0) < 0)
			break;
		from = to + 1;
		if (i == n)
			return;
	}
	/* no close_range() (gVisor): each one the table lists, read without
	 * malloc() (opendir()'s would give this thread an arena of its own,
	 * which a fork of the check then allocates from) */
	dir = open("/proc/thread-self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return;
	while ((got = syscall(SYS_getdents64, dir, entries, sizeof(entries))) > 0) {
		for (long at = 0; at < got;) {
			const struct dirent64 *e = (const struct dirent64 *)(entries + at);
			int fd = atoi(e->d_name);

			at += e->d_reclen;
			if (e->d_name[0] != '.' && fd != dir &&
			    !bsearch(&fd, keep, n, sizeof(keep[0]), by_number))
				close(fd);
		}
	}
	close(dir);
}

/* A descriptor table of its own, holding its sockets and nothing of the
 * check's: a socket the check closes is closed (no copy of the server's
 * holds it open), and the server's connections come and go outside the
 * check's table (its lowest free descriptor stays its own). */
static bool own_table(struct nc_dns_serving *s)
{
	int keep[2 * NC_DNS_MAX_LISTENERS + 1];
	size_t n = 0;

	if (unshare(CLONE_FILES) < 0)
		return false;
	for (size_t i = 0; i < s->n_listeners; i++) {
		keep[n++] = s->listeners[i].udp_fd;
		keep[n++] = s->listeners[i].tcp_fd;
	}
	keep[n++] = s->stop_fd;
	/* its own even where the check's copies cannot all be closed (no
	 * close_range(), no /proc): then they stay open here, and its sockets
	 * are still the thread's alone */
	close_all_but(keep, n);
	return true;
}

/* The server's thread: a table of its own, then the loop until stopped. */
static void *server_thread(void *arg)
{
	struct nc_dns_serving *s = arg;

	s->own_table = own_table(s);
	sem_post(&s->started);
	nc_dns_serve(s);
	listeners_close(s->listeners, s->n_listeners);
	return NULL;
}

static int bound_socket(int type, const struct nc_sockaddr *addr)
{
	int fd = socket(addr->sa.sa_family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	int one = 1;

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, &addr->sa, addr->len) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 16) < 0)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static void listeners_close(struct listener *listeners, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (listeners[i].udp_fd >= 0)
			close(listeners[i].udp_fd);
		if (listeners[i].tcp_fd >= 0)
			close(listeners[i].tcp_fd);
	}
}

/* Binds each listener's UDP and TCP sockets (port 0: 53). */
static int listeners_bind(const struct nc_dns_listener *spec, size_t n, struct listener *out,
			  struct nc_sockaddr *first)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (struct listener){ .udp_fd = -1, .tcp_fd = -1, .id = spec[i].id,
					    .manner = spec[i].manner,
					    .delay_ms = spec[i].delay_ms };
	for (size_t i = 0; i < n; i++) {
		struct nc_sockaddr addr = spec[i].addr;

		if (nc_sockaddr_port(&addr) == 0)
			nc_sockaddr_set_port(&addr, 53);
		if (i == 0)
			*first = addr;
		out[i].udp_fd = bound_socket(SOCK_DGRAM, &addr);
		if (out[i].udp_fd < 0)
			return out[i].udp_fd;
		out[i].tcp_fd = bound_socket(SOCK_STREAM, &addr);
		if (out[i].tcp_fd < 0)
			return out[i].tcp_fd;
	}
	return 0;
}

/* The caller's stop_fd closed, its zone freed, its memory unmapped. */
static void serving_free(struct nc_dns_serving *s)
{
	nc_dns_answerer_free((struct nc_dns_answerer *)s->zone);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	sem_destroy(&s->started);
	munmap(s, sizeof(*s));
}

static const int own_faults[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT };

int nc_dns_servers_start(const struct nc_dns_zone *spec, const struct nc_dns_listener *listeners,
			 size_t n, struct nc_dns_server *out)
{
	/* the server is the check's world, not its subject: no mutant in it
	 * (its thread starts outside the scope: tests/mutants/mutants.c) */
	const char *in_body = nc_mutant_scope(NULL);
	struct nc_dns_serving *s = MAP_FAILED;
	struct nc_dns_answerer *zone = NULL;
	sigset_t all, old;
	int err;

	memset(out, 0, sizeof(*out));
	if (n == 0 || n > NC_DNS_MAX_LISTENERS) {
		err = -EINVAL;
		goto out;
	}
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED) {
		err = -errno;
		goto out;
	}
	sem_init(&s->started, 0, 0);
	err = nc_dns_answerer_new(spec, &zone);
	s->zone = zone;
	if (err < 0)
		goto out;
	s->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (s->stop_fd < 0) {
		err = -errno;
		goto out;
	}
	s->n_listeners = n;	/* listeners_bind() makes each -1 first */
	err = listeners_bind(listeners, n, s->listeners, &out->addr);
	if (err < 0)
		goto out;
	s->stats.started_ms = nc_now_ms();
	/* every signal blocked in the thread, so that a signal the check sends
	 * its process (to interrupt a call) reaches the check; but for those
	 * its own fault raises, which must kill it with a report (ASan's) */
	sigfillset(&all);
	for (size_t i = 0; i < sizeof(own_faults) / sizeof(own_faults[0]); i++)
		sigdelset(&all, own_faults[i]);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = -pthread_create(&out->thread, NULL, server_thread, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err < 0)
		goto out;
	while (sem_wait(&s->started) < 0)
		;
	/* its sockets are the thread's alone now: in its own table, or in
	 * this one, which it closes them in when it ends */
	if (s->own_table)
		listeners_close(s->listeners, s->n_listeners);
	/* named from here: so named once started */
	pthread_setname_np(out->thread, "nc-dns");
	/* its wait for a CPU, which delays an answer as the body's own does,
	 * counts with the body's: a thread of its process (timing.h) */
	out->serving = s;
out:
	if (err < 0 && s != MAP_FAILED) {	/* no thread: the listeners are ours */
		listeners_close(s->listeners, s->n_listeners);
		serving_free(s);
	}
	nc_mutant_scope(in_body);
	return err;
}

#define STOP_MS 2000	/* a loop told to stop ends at its next wake-up */

int nc_dns_server_stop(struct nc_dns_server *server)
{
	struct timespec deadline;
	int err;

	if (!server->serving)
		return 0;
	if (eventfd_write(server->serving->stop_fd, 1) < 0)
		return -errno;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += STOP_MS / 1000;
	err = -pthread_timedjoin_np(server->thread, NULL, &deadline);
	if (err < 0)
		return err;	/* running still: nothing of it freed */
	serving_free(server->serving);
	server->serving = NULL;
	return 0;
}

void nc_dns_server_stats(const struct nc_dns_server *server, struct nc_dns_stats *out)
{
	volatile struct nc_dns_stats *stats = server->serving ? &server->serving->stats : NULL;

	memset(out, 0, sizeof(*out));
	if (!stats)
		return;
	out->udp_queries = __atomic_load_n(&stats->udp_queries, __ATOMIC_RELAXED);
	out->tcp_queries = __atomic_load_n(&stats->tcp_queries, __ATOMIC_RELAXED);
	out->truncated = __atomic_load_n(&stats->truncated, __ATOMIC_RELAXED);
	out->malformed = __atomic_load_n(&stats->malformed, __ATOMIC_RELAXED);
	out->dropped = __atomic_load_n(&stats->dropped, __ATOMIC_RELAXED);
	out->logged = __atomic_load_n(&stats->logged, __ATOMIC_ACQUIRE);
	out->started_ms = stats->started_ms;	/* set before the thread */
	memcpy(out->log, (const void *)stats->log,
	       (out->logged < NC_DNS_LOG_MAX ? out->logged : NC_DNS_LOG_MAX) * sizeof(out->log[0]));
}
