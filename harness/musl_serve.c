/* A check body running in netconform-musl: the worker builds the check's
 * world as ever, then runs the body in the musl program, inside the same
 * sandbox, and serves the engine calls it makes (lib/check/remote.h,
 * musl/world.c): sysctls, faults, sock_diag waits, captures, the resolver
 * world's DNS server. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bridge_calls.h"
#include "capture.h"
#include "diag.h"
#include "dns_server.h"
#include "host.h"
#include "libc.h"
#include "musl_serve.h"
#include "net.h"
#include "net_fault.h"
#include "registry.h"
#include "remote.h"

#define MAX_CAPTURES 8
#define MAX_HOSTS 16	/* musl/musl_world.h */
#define MAX_SEGMENTS 256

struct served {
	const struct nc_case_ctx *ctx;
	struct nc_capture *captures[MAX_CAPTURES];
	/* the DNS server, and its zone as received: its strings point into msg */
	struct nc_dns_server dns;
	struct nc_dns_zone zone;
	const char *records[256], *truncated[64], *partial[64];
	struct nc_dns_rule rules[64];
	struct nc_dns_drop dropped[64];
	char *msg;
};

/* A request as received: the worker serves one program, once.  The
 * program's, not the heap's: glibc would map and unmap a block this size
 * for each check, a TLB flush each. */
static char request[NC_REMOTE_MSG_SIZE];

struct call_args {
	struct nc_remote_field *f;	/* f[0] is the first argument */
	size_t n;
};

/* An argument that must be a string (NULL for an empty field). */
static const char *arg_str(const struct call_args *a, size_t i)
{
	const struct nc_remote_field *f = &a->f[i];

	if (f->len == 0 || ((const char *)f->data)[f->len - 1] != '\0')
		return NULL;
	return f->data;
}

/* An argument that must be a value of size bytes. */
static int arg_val(const struct call_args *a, size_t i, void *out, size_t size)
{
	if (a->f[i].len != size)
		return nc_error(-EPROTO, "argument %zu: %zu bytes, expected %zu", i, a->f[i].len, size);
	memcpy(out, a->f[i].data, size);
	return 0;
}

static struct nc_host *arg_host(struct served *s, const struct call_args *a, size_t i)
{
	const char *name = arg_str(a, i);
	struct nc_host *host = name ? nc_net_host(s->ctx->net, name) : NULL;

	if (!host)
		nc_error(-ENOENT, "no host \"%s\" in the check's world", name ? name : "");
	return host;
}

typedef int serve_fn(struct served *s, const struct call_args *a, struct nc_remote_field *out,
		     size_t *n_out);

static int serve_sysctl_set(struct served *s, const struct call_args *a,
			    struct nc_remote_field *out, size_t *n_out)
{
	struct nc_host *host = arg_host(s, a, 0);

	(void)out, (void)n_out;
	return host ? nc_sysctl_set(host, arg_str(a, 1), arg_str(a, 2)) : -ENOENT;
}

static int serve_sysctl_get(struct served *s, const struct call_args *a,
			    struct nc_remote_field *out, size_t *n_out)
{
	static char value[256];
	struct nc_host *host = arg_host(s, a, 0);
	int err = host ? nc_sysctl_get(host, arg_str(a, 1), value, sizeof(value)) : -ENOENT;

	out[(*n_out)++] = NC_REMOTE_STR(err < 0 ? "" : value);
	return err;
}

/* Faults by the name their scenario line (or nc_fault_add) gave them. */
static int serve_fault_add(struct served *s, const struct call_args *a,
			   struct nc_remote_field *out, size_t *n_out)
{
	struct nc_host *host = arg_host(s, a, 0);

	(void)out, (void)n_out;
	return host ? nc_fault_add(host, arg_str(a, 1), arg_str(a, 2)) : -ENOENT;
}

static int serve_fault_del(struct served *s, const struct call_args *a,
			   struct nc_remote_field *out, size_t *n_out)
{
	(void)out, (void)n_out;
	return nc_fault_del(s->ctx->net, arg_str(a, 0));
}

static int serve_fault_wait_packets(struct served *s, const struct call_args *a,
				    struct nc_remote_field *out, size_t *n_out)
{
	static uint64_t packets;
	uint64_t at_least = 0;
	unsigned deadline_ms = 0;
	int err;

	packets = 0;
	if ((err = arg_val(a, 1, &at_least, sizeof(at_least))) < 0 ||
	    (err = arg_val(a, 2, &deadline_ms, sizeof(deadline_ms))) < 0)
		return err;
	/* at_least 0: the count as it is now */
	if (at_least == 0)
		err = nc_fault_packets(s->ctx->net, arg_str(a, 0), &packets);
	else
		err = nc_fault_wait_packets(s->ctx->net, arg_str(a, 0), at_least, deadline_ms,
					    &packets);
	out[(*n_out)++] = NC_REMOTE_VAL(packets);
	return err;
}

static int serve_diag_wait_state(struct served *s, const struct call_args *a,
				 struct nc_remote_field *out, size_t *n_out)
{
	static struct nc_tcp_diag diag;
	struct nc_sockaddr local, peer;
	struct nc_host *host = arg_host(s, a, 0);
	int has_peer = 0, state = 0, err;
	unsigned deadline_ms = 0;

	if (!host)
		return -ENOENT;
	if ((err = arg_val(a, 1, &local, sizeof(local))) < 0 ||
	    (err = arg_val(a, 2, &peer, sizeof(peer))) < 0 ||
	    (err = arg_val(a, 3, &has_peer, sizeof(has_peer))) < 0 ||
	    (err = arg_val(a, 4, &state, sizeof(state))) < 0 ||
	    (err = arg_val(a, 5, &deadline_ms, sizeof(deadline_ms))) < 0)
		return err;
	memset(&diag, 0, sizeof(diag));
	if (state < 0)
		err = nc_diag_find(host, &local, has_peer ? &peer : NULL, &diag);
	else
		err = nc_diag_wait_state(host, &local, has_peer ? &peer : NULL, state, deadline_ms,
					 &diag);
	out[(*n_out)++] = NC_REMOTE_VAL(diag);
	return err;
}

static int serve_diag_count(struct served *s, const struct call_args *a,
			    struct nc_remote_field *out, size_t *n_out)
{
	struct nc_host *host = arg_host(s, a, 0);
	int state = 0, port = 0, err;

	(void)out, (void)n_out;
	if (!host || (err = arg_val(a, 1, &state, sizeof(state))) < 0 ||
	    (err = arg_val(a, 2, &port, sizeof(port))) < 0)
		return host ? err : -ENOENT;
	return nc_diag_count(host, state, port);
}

static int serve_capture_open(struct served *s, const struct call_args *a,
			      struct nc_remote_field *out, size_t *n_out)
{
	struct nc_host *host = arg_host(s, a, 0);
	int err;

	(void)out, (void)n_out;
	if (!host)
		return -ENOENT;
	for (int id = 0; id < MAX_CAPTURES; id++)
		if (!s->captures[id]) {
			err = nc_capture_open(host, &s->captures[id]);
			return err < 0 ? err : id;
		}
	return nc_error(-EMFILE, "more than %d captures", MAX_CAPTURES);
}

static struct nc_capture *arg_capture(struct served *s, const struct call_args *a)
{
	int id = -1;

	if (arg_val(a, 0, &id, sizeof(id)) < 0 || id < 0 || id >= MAX_CAPTURES || !s->captures[id])
		return NULL;
	return s->captures[id];
}

static int serve_capture_tcp(struct served *s, const struct call_args *a,
			     struct nc_remote_field *out, size_t *n_out)
{
	static struct nc_tcp_segment segs[MAX_SEGMENTS];
	struct nc_capture *cap = arg_capture(s, a);
	size_t max = 0;
	int n, err;

	if (!cap)
		return nc_error(-EBADF, "no such capture");
	if ((err = arg_val(a, 1, &max, sizeof(max))) < 0)
		return err;
	n = nc_capture_tcp(cap, segs, max < MAX_SEGMENTS ? max : MAX_SEGMENTS);
	out[(*n_out)++] = (struct nc_remote_field){ segs, n > 0 ? (size_t)n * sizeof(segs[0]) : 0 };
	return n;
}

static int serve_capture_wait(struct served *s, const struct call_args *a,
			      struct nc_remote_field *out, size_t *n_out)
{
	struct nc_capture *cap = arg_capture(s, a);
	unsigned deadline_ms = 0;
	int err;

	(void)out, (void)n_out;
	if (!cap)
		return nc_error(-EBADF, "no such capture");
	if ((err = arg_val(a, 1, &deadline_ms, sizeof(deadline_ms))) < 0)
		return err;
	return nc_capture_wait(cap, deadline_ms);
}

static int serve_capture_close(struct served *s, const struct call_args *a,
			       struct nc_remote_field *out, size_t *n_out)
{
	struct nc_capture *cap = arg_capture(s, a);
	int id = 0;

	(void)out, (void)n_out;
	if (!cap)
		return nc_error(-EBADF, "no such capture");
	arg_val(a, 0, &id, sizeof(id));
	nc_capture_close(cap);
	s->captures[id] = NULL;
	return 0;
}

/* A field of NUL-terminated strings into list (NULL-terminated). */
static int string_list(const struct nc_remote_field *f, const char **list, size_t max)
{
	size_t n = 0;

	for (size_t used = 0; used < f->len; n++) {
		const char *item = (const char *)f->data + used;
		size_t len = strnlen(item, f->len - used);

		if (n + 1 >= max || used + len == f->len)
			return -EPROTO;
		list[n] = item;
		used += len + 1;
	}
	list[n] = NULL;
	return (int)n;
}

/* The resolver world's DNS server (lib/world/resolver.c runs in the musl program
 * and calls for it), a thread of this process in the host the body is in. */
static int serve_dns_server_start(struct served *s, const struct call_args *a,
				  struct nc_remote_field *out, size_t *n_out)
{
	const char *host_name = arg_str(a, 0), *names[64], *drop_names[64];
	struct nc_host *host = host_name && *host_name ? arg_host(s, a, 0) : NULL;
	struct nc_dns_listener listeners[NC_DNS_MAX_LISTENERS];
	size_t n_listeners = a->f[1].len / sizeof(listeners[0]);
	int n_rules, n_dropped, saved = -1, err;

	if (host_name && *host_name && !host)
		return -ENOENT;
	if (n_listeners == 0 || n_listeners > NC_DNS_MAX_LISTENERS ||
	    a->f[1].len % sizeof(listeners[0]))
		return nc_error(-EPROTO, "dns_server_start: %zu bytes of listeners", a->f[1].len);
	if (s->dns.serving)	/* a second would leave the first out of reach */
		return nc_error(-EBUSY, "dns_server_start: the check's DNS server runs already");
	memcpy(listeners, a->f[1].data, a->f[1].len);
	/* the zone's strings point into this request: the server copies
	 * what it keeps before the start returns */
	n_rules = string_list(&a->f[3], names, 64);
	n_dropped = string_list(&a->f[6], drop_names, 64);
	if (string_list(&a->f[2], s->records, 256) < 0 || n_rules < 0 || n_dropped < 0 ||
	    string_list(&a->f[5], s->truncated, 64) < 0 ||
	    string_list(&a->f[8], s->partial, 64) < 0 ||
	    a->f[4].len != (size_t)n_rules * sizeof(int) ||
	    a->f[7].len != (size_t)n_dropped * sizeof(int))
		return nc_error(-EPROTO, "dns_server_start: malformed zone");
	for (int i = 0; i < n_rules; i++) {
		s->rules[i].name = names[i];
		memcpy(&s->rules[i].rcode, (const char *)a->f[4].data + i * sizeof(int), sizeof(int));
	}
	s->rules[n_rules] = (struct nc_dns_rule){ NULL, 0 };
	for (int i = 0; i < n_dropped; i++) {
		int qtype;

		memcpy(&qtype, (const char *)a->f[7].data + i * sizeof(int), sizeof(int));
		s->dropped[i] = (struct nc_dns_drop){ drop_names[i], (uint16_t)qtype };
	}
	s->dropped[n_dropped] = (struct nc_dns_drop){ NULL, 0 };
	s->zone = (struct nc_dns_zone){ s->records, s->rules, s->truncated, s->dropped,
					s->partial };
	if (host && (err = nc_ns_visit(host->ns_fd, &saved)) < 0)
		return err;
	err = nc_dns_servers_start(&s->zone, listeners, n_listeners, &s->dns);
	if (saved >= 0)
		nc_ns_return(saved);
	out[(*n_out)++] = NC_REMOTE_VAL(s->dns.addr);
	return err;
}

static int serve_dns_stats(struct served *s, const struct call_args *a,
			   struct nc_remote_field *out, size_t *n_out)
{
	static struct nc_dns_stats stats;

	(void)a;
	memset(&stats, 0, sizeof(stats));
	if (!s->dns.serving)
		return nc_error(-ENOENT, "no DNS server");
	nc_dns_server_stats(&s->dns, &stats);
	out[(*n_out)++] = NC_REMOTE_VAL(stats);
	return 0;
}

/* Every call of lib/world/bridge_calls.h, served by its serve_NAME(). */
static const struct {
	const char *name;
	size_t n_args, n_values;
	serve_fn *serve;
} calls[] = {
#define SERVED(name, n_args, n_values) { #name, n_args, n_values, serve_##name },
	NC_BRIDGE_CALLS(SERVED)
#undef SERVED
};

/* Answers the body's calls until it closes its end. */
static void serve(struct served *s, int fd)
{
	struct nc_remote_field fields[NC_REMOTE_MAX_FIELDS], out[4];
	int n;

	while ((n = nc_remote_receive(fd, s->msg, NC_REMOTE_MSG_SIZE, fields,
				      NC_REMOTE_MAX_FIELDS)) > 0) {
		struct call_args args = { fields + 1, (size_t)n - 1 };
		size_t n_out = 0, i;
		int status;

		for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
			if (strcmp(fields[0].data, calls[i].name) == 0)
				break;
		nc_error_clear();
		if (i == sizeof(calls) / sizeof(calls[0]))
			status = nc_error(-ENOSYS, "no engine call %s", (char *)fields[0].data);
		else if (args.n != calls[i].n_args)
			status = nc_error(-EPROTO, "%s: %zu arguments, expected %zu",
					  calls[i].name, args.n, calls[i].n_args);
		else
			status = calls[i].serve(s, &args, out, &n_out);
		if (n_out > 0 && n_out > calls[i].n_values) {	/* a server out of step with its row */
			status = nc_error(-EPROTO, "%s: %zu values, its row says %zu",
					  calls[i].name, n_out, calls[i].n_values);
			n_out = 0;
		}
		if (nc_remote_reply(fd, status, status < 0 ? nc_error_message() : "", out, n_out) < 0)
			break;
	}
}

/* A copy of fd that survives exec (F_DUPFD clears FD_CLOEXEC), as text
 * for the command line; *copy is closed once the program runs. */
static const char *inherited(int fd, int *copy, char *buf, size_t size)
{
	*copy = fcntl(fd, F_DUPFD, 3);
	snprintf(buf, size, "%d", *copy);
	return buf;
}

/* netconform-musl, opened by nc_musl_open(): -1 until then. */
static int musl_fd = -1;

int nc_musl_open(void)
{
	char path[4096];
	int err = nc_musl_program(path, sizeof(path));

	if (err < 0)
		return err;
	musl_fd = open(path, O_PATH | O_CLOEXEC);
	return musl_fd < 0 ? -errno : 0;
}

/* netconform-musl with argv, at once: no copy of this process for a
 * program that replaces it. */
static pid_t spawn(const char *const *argv)
{
	pid_t pid = vfork();

	if (pid == 0) {
		execveat(musl_fd, "", (char *const *)argv, environ, AT_EMPTY_PATH);
		_exit(127);
	}
	return pid;
}

int nc_musl_run(const struct nc_test *test, const struct nc_case_ctx *ctx, int record_fd)
{
	struct served served = { .ctx = ctx, .msg = request };
	char fds[2 + MAX_HOSTS][16], hosts[MAX_HOSTS][48];
	const char *argv[8 + MAX_HOSTS] = { 0 };
	int copies[2 + MAX_HOSTS], n_copies = 0;
	int pair[2], status = 0, argc = 0;
	pid_t pid;

	/* opened once by the run, before any check (nc_musl_open()) */
	if (musl_fd < 0)
		return nc_error(-EBADF, "netconform-musl: not opened");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		return -errno;
	argv[argc++] = "netconform-musl";
	argv[argc++] = "run";
	argv[argc++] = inherited(record_fd, &copies[n_copies], fds[n_copies], sizeof(fds[0]));
	n_copies++;
	argv[argc++] = inherited(pair[1], &copies[n_copies], fds[n_copies], sizeof(fds[0]));
	n_copies++;
	argv[argc++] = test->check_id;
	argv[argc++] = ctx->case_name ? ctx->case_name : "-";
	for (size_t i = 0; ctx->net && i < ctx->net->n_hosts && i < MAX_HOSTS; i++) {
		snprintf(hosts[i], sizeof(hosts[i]), "%s=%s", ctx->net->hosts[i].name,
			 inherited(ctx->net->hosts[i].ns_fd, &copies[n_copies], fds[n_copies],
				   sizeof(fds[0])));
		n_copies++;
		argv[argc++] = hosts[i];
	}
	fflush(NULL);
	pid = spawn(argv);
	for (int i = 0; i < n_copies; i++)
		if (copies[i] >= 0)
			close(copies[i]);
	close(pair[1]);
	if (pid > 0)
		serve(&served, pair[0]);
	close(pair[0]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	for (int id = 0; id < MAX_CAPTURES; id++)
		nc_capture_close(served.captures[id]);
	nc_dns_server_stop(&served.dns);
	return pid < 0 ? -errno : status;
}
