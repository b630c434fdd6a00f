/* Faults as packet filter rules.  A rule is parsed once (nc_fault_parse),
 * then made per family: a rule without ip4/ip6 goes to both IPv4 and IPv6,
 * with the reject type translated to the family's equivalent.
 *
 * Rules reach the kernel in process, as nf_tables objects (lib/nftables.c),
 * or, if the kernel refuses those, through one "iptables-restore --noflush"
 * per host and family (rendered here): an atomic nft transaction, in force
 * when the program exits.  Neither locks anything across namespaces (no -w,
 * no /run/xtables.lock), so checks in parallel never wait on each other. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "firewall.h"
#include "nftables.h"
#include "words.h"

extern char **environ;

/* --- Parsing --- */

static const struct reject_name {
	const char *name;
	enum nc_fault_action action;
	unsigned families;
} reject_names[] = {
	{ "tcp-reset",              NC_REJECT_TCP_RESET,        NC_FAULT_IP4 | NC_FAULT_IP6 },
	{ "icmp-net-unreachable",   NC_REJECT_NET_UNREACHABLE,  NC_FAULT_IP4 },
	{ "icmp-host-unreachable",  NC_REJECT_HOST_UNREACHABLE, NC_FAULT_IP4 },
	{ "icmp-port-unreachable",  NC_REJECT_PORT_UNREACHABLE, NC_FAULT_IP4 },
	{ "icmp-admin-prohibited",  NC_REJECT_ADMIN_PROHIBITED, NC_FAULT_IP4 },
	{ "icmp-net-prohibited",    NC_REJECT_NET_PROHIBITED,   NC_FAULT_IP4 },
	{ "icmp-host-prohibited",   NC_REJECT_HOST_PROHIBITED,  NC_FAULT_IP4 },
	{ "icmp6-no-route",         NC_REJECT_NET_UNREACHABLE,  NC_FAULT_IP6 },
	{ "icmp6-addr-unreachable", NC_REJECT_HOST_UNREACHABLE, NC_FAULT_IP6 },
	{ "icmp6-port-unreachable", NC_REJECT_PORT_UNREACHABLE, NC_FAULT_IP6 },
	{ "icmp6-adm-prohibited",   NC_REJECT_ADMIN_PROHIBITED, NC_FAULT_IP6 },
};

/* The name iptables (AF_INET) or ip6tables (AF_INET6) knows the reply by. */
static const char *reject_with(enum nc_fault_action action, int family)
{
	if (family == AF_INET6) {
		switch (action) {
		case NC_REJECT_TCP_RESET:         return "tcp-reset";
		case NC_REJECT_NET_UNREACHABLE:   return "icmp6-no-route";
		case NC_REJECT_HOST_UNREACHABLE:  return "icmp6-addr-unreachable";
		case NC_REJECT_PORT_UNREACHABLE:  return "icmp6-port-unreachable";
		case NC_REJECT_ADMIN_PROHIBITED:
		case NC_REJECT_NET_PROHIBITED:
		case NC_REJECT_HOST_PROHIBITED:   return "icmp6-adm-prohibited";
		case NC_FAULT_DROP:               break;
		}
		return NULL;
	}
	for (size_t i = 0; i < sizeof(reject_names) / sizeof(reject_names[0]); i++)
		if (reject_names[i].action == action && (reject_names[i].families & NC_FAULT_IP4))
			return reject_names[i].name;
	return NULL;
}

static bool valid_ports(const char *text)
{
	char *end;
	long first, last;

	first = strtol(text, &end, 10);
	if (end == text || first < 1 || first > 65535)
		return false;
	if (*end == '\0')
		return strlen(text) < 12;
	if (*end != ':')
		return false;
	text = end + 1;
	last = strtol(text, &end, 10);
	return end != text && *end == '\0' && last >= first && last <= 65535 &&
	       strlen(text) < 6;
}

static bool valid_tcp_flags(const char *text)
{
	static const char *const names[] = { "SYN", "ACK", "FIN", "RST", "URG", "PSH",
					     "ALL", "NONE" };
	const char *p = text;

	if (strlen(text) >= 48 || !*text)
		return false;
	while (*p) {
		size_t len = strcspn(p, ","), i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i]) == len && strncmp(names[i], p, len) == 0)
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return false;
		p += len;
		if (*p == ',' && *++p == '\0')
			return false;
	}
	return true;
}

#define FAIL(...) do { snprintf(err, errsize, __VA_ARGS__); return -1; } while (0)

int nc_fault_parse_words(char **w, int n, struct nc_fault *out, char *err, size_t errsize)
{
	static const char *const hooks[] = { "input", "output", "forward" };
	static const char *const protos[] = { NULL, "tcp", "udp", "icmp", "icmpv6" };
	const struct reject_name *reject = NULL;
	unsigned explicit_families = 0;
	bool have_action = false;
	int i;

	memset(out, 0, sizeof(*out));
	out->probability = 1.0;
	if (n < 1)
		FAIL("expected input, output or forward");
	for (i = 0; i < 3 && strcmp(w[0], hooks[i]) != 0; i++)
		;
	if (i == 3)
		FAIL("unknown chain \"%s\" (expected input, output or forward)", w[0]);
	out->hook = (enum nc_fault_hook)i;

	for (i = 1; i < n; i++) {
		const char *word = w[i], *value = i + 1 < n ? w[i + 1] : NULL;
		int p;

		if (have_action)
			FAIL("unexpected \"%s\" after the action (drop or reject TYPE ends the rule)",
			     word);
		for (p = 1; p < 5 && strcmp(word, protos[p]) != 0; p++)
			;
		if (p < 5) {
			if (out->proto != NC_PROTO_ANY)
				FAIL("two protocols (%s and %s)", protos[out->proto], word);
			out->proto = (enum nc_fault_proto)p;
		} else if (strcmp(word, "ip4") == 0 || strcmp(word, "ip6") == 0) {
			if (explicit_families)
				FAIL("ip4 and ip6 are exclusive (a rule with neither applies to both)");
			explicit_families = word[2] == '4' ? NC_FAULT_IP4 : NC_FAULT_IP6;
		} else if (strcmp(word, "sport") == 0 || strcmp(word, "dport") == 0) {
			if (!value || !valid_ports(value))
				FAIL("%s needs a port or range (N or N:M, 1 to 65535)", word);
			strcpy(word[0] == 's' ? out->sport : out->dport, value);
			i++;
		} else if (strcmp(word, "flags") == 0) {
			if (i + 2 >= n || !valid_tcp_flags(w[i + 1]) || !valid_tcp_flags(w[i + 2]))
				FAIL("flags needs MASK COMP, e.g. \"flags SYN,ACK,FIN,RST ACK\" "
				     "(SYN ACK FIN RST URG PSH ALL NONE)");
			strcpy(out->flags_mask, w[i + 1]);
			strcpy(out->flags_comp, w[i + 2]);
			i += 2;
		} else if (strcmp(word, "probability") == 0) {
			char *end;
			double prob = value ? strtod(value, &end) : 0;

			if (value && *end == '%' && end[1] == '\0')
				prob /= 100;
			else if (!value || end == value || *end)
				prob = -1;
			if (!(prob > 0 && prob <= 1))
				FAIL("probability needs a number in (0, 1] or a percentage");
			out->probability = prob;
			i++;
		} else if (strcmp(word, "drop") == 0) {
			out->action = NC_FAULT_DROP;
			have_action = true;
		} else if (strcmp(word, "reject") == 0) {
			size_t r;

			if (!value)
				FAIL("reject needs a type (tcp-reset, icmp-net-unreachable, "
				     "icmp-host-unreachable, icmp-port-unreachable, "
				     "icmp-admin-prohibited, icmp6-...)");
			for (r = 0; r < sizeof(reject_names) / sizeof(reject_names[0]); r++)
				if (strcmp(value, reject_names[r].name) == 0)
					break;
			if (r == sizeof(reject_names) / sizeof(reject_names[0]))
				FAIL("unknown reject type \"%s\" (tcp-reset, icmp-net-unreachable, "
				     "icmp-host-unreachable, icmp-port-unreachable, "
				     "icmp-admin-prohibited, icmp-net-prohibited, "
				     "icmp-host-prohibited, icmp6-no-route, "
				     "icmp6-addr-unreachable, icmp6-port-unreachable, "
				     "icmp6-adm-prohibited)", value);
			reject = &reject_names[r];
			out->action = reject->action;
			have_action = true;
			i++;
		} else {
			FAIL("unexpected \"%s\" (expected tcp, udp, icmp, icmpv6, ip4, ip6, sport, "
			     "dport, flags, probability, drop or reject)", word);
		}
	}
	if (!have_action)
		FAIL("no action: end the rule with drop or reject TYPE");

	/* The families: said, implied by the protocol, or both. */
	if (out->proto == NC_PROTO_ICMP || out->proto == NC_PROTO_ICMPV6) {
		unsigned implied = out->proto == NC_PROTO_ICMP ? NC_FAULT_IP4 : NC_FAULT_IP6;

		if (explicit_families && explicit_families != implied)
			FAIL("%s does not go with %s", protos[out->proto],
			     explicit_families == NC_FAULT_IP4 ? "ip4" : "ip6");
		explicit_families = implied;
	}
	out->families = explicit_families ? explicit_families : NC_FAULT_IP4 | NC_FAULT_IP6;
	if (reject && explicit_families && !(reject->families & explicit_families))
		FAIL("reject %s is an %s reply, and this rule is %s only (%s)", reject->name,
		     reject->families == NC_FAULT_IP4 ? "IPv4" : "IPv6",
		     explicit_families == NC_FAULT_IP4 ? "IPv4" : "IPv6",
		     explicit_families == NC_FAULT_IP4
			     ? "use the icmp-* name"
			     : "use the icmp6-* name");

	if ((out->sport[0] || out->dport[0]) &&
	    out->proto != NC_PROTO_TCP && out->proto != NC_PROTO_UDP)
		FAIL("sport and dport need tcp or udp");
	if (out->flags_mask[0] && out->proto != NC_PROTO_TCP)
		FAIL("flags needs tcp");
	if (out->action == NC_REJECT_TCP_RESET && out->proto != NC_PROTO_TCP)
		FAIL("reject tcp-reset needs tcp");
	return 0;
}

int nc_fault_parse(const char *text, struct nc_fault *out, char *err, size_t errsize)
{
	char copy[512], *words[64];
	int n;

	if (strlen(text) >= sizeof(copy))
		FAIL("rule too long");
	strcpy(copy, text);
	n = nc_words_split(copy, words, 64);
	if (n < 0)
		FAIL("too many words");
	return nc_fault_parse_words(words, n, out, err, errsize);
}

int nc_fault_render(const struct nc_fault *f, int family, int id, char *buf, size_t size)
{
	static const char *const chains[] = { "INPUT", "OUTPUT", "FORWARD" };
	static const char *const protos[] = { NULL, "tcp", "udp", "icmp", "ipv6-icmp" };
	FILE *out = fmemopen(buf, size, "w");
	int err = 0;

	if (!out)
		return -errno;
	fprintf(out, "%s", chains[f->hook]);
	if (f->proto != NC_PROTO_ANY) {
		fprintf(out, " -p %s", protos[f->proto]);
		if (f->sport[0] || f->dport[0] || f->flags_mask[0])
			fprintf(out, " -m %s", protos[f->proto]);
	}
	if (f->sport[0])
		fprintf(out, " --sport %s", f->sport);
	if (f->dport[0])
		fprintf(out, " --dport %s", f->dport);
	if (f->flags_mask[0])
		fprintf(out, " --tcp-flags %s %s", f->flags_mask, f->flags_comp);
	if (f->probability < 1.0)
		fprintf(out, " -m statistic --mode random --probability %.6f", f->probability);
	fprintf(out, " -m comment --comment nc-%d", id);
	if (f->action == NC_FAULT_DROP)
		fprintf(out, " -j DROP");
	else
		fprintf(out, " -j REJECT --reject-with %s", reject_with(f->action, family));
	if (ferror(out) || ftell(out) >= (long)size - 1)
		err = -ENOSPC;
	fclose(out);
	return err;
}

/* --- Which way rules reach the kernel --- */

enum backend {
	BACKEND_UNKNOWN,	/* nf_tables not tried yet: try it */
	BACKEND_NFT,		/* nf_tables worked once: no going back */
	BACKEND_IPTABLES,	/* refused, or NC_FIREWALL=iptables-restore */
};

static int backend_state = -1;	/* -1: the environment not read yet */

static enum backend backend_now(void)
{
	int state = __atomic_load_n(&backend_state, __ATOMIC_RELAXED);

	if (state < 0) {
		const char *forced = getenv("NC_FIREWALL");

		state = forced && strcmp(forced, "iptables-restore") == 0 ? BACKEND_IPTABLES
									   : BACKEND_UNKNOWN;
		__atomic_store_n(&backend_state, state, __ATOMIC_RELAXED);
	}
	return (enum backend)state;
}

bool nc_fw_nft_enabled(void)
{
	return backend_now() != BACKEND_IPTABLES;
}

/* No nfnetlink, no nf_tables, no such family or expression (reject,
 * numgen ...) in this kernel. */
static bool kernel_refuses(int err)
{
	return err == -EOPNOTSUPP || err == -EPROTONOSUPPORT || err == -EAFNOSUPPORT ||
	       err == -ENOENT;
}

bool nc_fw_nft_refused(int err)
{
	enum backend state = backend_now();

	if (err == 0 && state == BACKEND_UNKNOWN)
		__atomic_store_n(&backend_state, BACKEND_NFT, __ATOMIC_RELAXED);
	if (state != BACKEND_UNKNOWN || !kernel_refuses(err))
		return false;
	__atomic_store_n(&backend_state, BACKEND_IPTABLES, __ATOMIC_RELAXED);
	return true;
}

/* Every kind of expression the rules use, both families, in a namespace of
 * a child's own (a user namespace too when it is not privileged). */
static void probe_nft(void)
{
	static const char *const probes[] = {
		"input tcp sport 1:2 dport 3 flags SYN,ACK SYN probability 0.5 reject tcp-reset",
		"output udp reject icmp-port-unreachable",
		"forward drop",
	};
	struct nc_fault faults[sizeof(probes) / sizeof(probes[0])];
	struct nc_nft_rule rules[sizeof(probes) / sizeof(probes[0])];
	char why[200];
	int status, err;
	pid_t pid;

	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		if (nc_fault_parse(probes[i], &faults[i], why, sizeof(why)) < 0)
			return;
		rules[i].fault = &faults[i];
		rules[i].id = (int)i + 1;
	}
	pid = fork();
	if (pid < 0)
		return;
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) < 0 && unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0)
			_exit(2);	/* cannot tell */
		err = nc_nft_add(rules, sizeof(rules) / sizeof(rules[0]));
		_exit(err == 0 ? 0 : kernel_refuses(err) ? 1 : 2);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return;
	if (WIFEXITED(status) && WEXITSTATUS(status) < 2)
		nc_fw_nft_refused(WEXITSTATUS(status) == 0 ? 0 : -EOPNOTSUPP);
}

const char *nc_firewall_backend(void)
{
	if (backend_now() == BACKEND_UNKNOWN)
		probe_nft();
	return backend_now() == BACKEND_IPTABLES ? "iptables-restore" : "nftables (in process)";
}

/* --- Running the programs --- */

/* The nft variant first: the legacy one takes a lock shared with the host. */
static const char *program(int family, bool save)
{
	static const char *found[2][2];
	static const char *const names[2][2][2] = {
		{ { "iptables-nft-restore", "iptables-restore" },
		  { "iptables-nft-save", "iptables-save" } },
		{ { "ip6tables-nft-restore", "ip6tables-restore" },
		  { "ip6tables-nft-save", "ip6tables-save" } },
	};
	static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };
	static char paths[2][2][64];
	int f = family == AF_INET6, s = save;

	if (found[f][s])
		return found[f][s];
	for (int n = 0; n < 2; n++)
		for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
			snprintf(paths[f][s], sizeof(paths[f][s]), "%s/%s", dirs[d], names[f][s][n]);
			if (access(paths[f][s], X_OK) == 0)
				return found[f][s] = paths[f][s];
		}
	return NULL;
}

static int memfd_with(const char *name, const char *text)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	size_t len = text ? strlen(text) : 0, done = 0;

	if (fd < 0)
		return -errno;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int nc_fw_spawn(int family, bool save, const char *script, struct nc_fw_job *job)
{
	const char *path = program(family, save);
	char *const restore_argv[] = { (char *)path, "--noflush", NULL };
	char *const save_argv[] = { (char *)path, "-c", "-t", "filter", NULL };
	posix_spawn_file_actions_t actions;
	int in_fd, err;

	job->pid = -1;
	job->out_fd = -1;
	if (!path)
		return -ENOENT;
	in_fd = memfd_with("nc-fw-in", save ? NULL : script);
	if (in_fd < 0)
		return in_fd;
	job->out_fd = memfd_with("nc-fw-out", NULL);
	if (job->out_fd < 0) {
		close(in_fd);
		return job->out_fd;
	}
	err = posix_spawn_file_actions_init(&actions);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&actions, in_fd, 0);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&actions, job->out_fd, 1);
	if (!err)
		err = posix_spawn_file_actions_adddup2(&actions, job->out_fd, 2);
	if (!err)
		err = posix_spawn(&job->pid, path, &actions, NULL,
				  save ? save_argv : restore_argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(in_fd);
	if (err) {
		close(job->out_fd);
		job->out_fd = -1;
		job->pid = -1;
		return -err;
	}
	return 0;
}

/* The child: only system calls between fork() and execve(). */
static void __attribute__((noreturn)) restore_child(int sock, int in_fd, int out_fd,
						    const char *path, char *const argv[])
{
	char byte = 'n';
	struct iovec iov = { &byte, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	int ns;

	if (unshare(CLONE_NEWNET) < 0)
		_exit(126);
	ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		_exit(126);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &ns, sizeof(int));
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) != 1)
		_exit(126);
	if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
		_exit(126);
	execve(path, argv, environ);
	_exit(127);
}

int nc_fw_spawn_in_new_netns(int family, const char *script, struct nc_fw_job *job,
			     int *ns_sock)
{
	const char *path = program(family, false);
	char *const argv[] = { (char *)path, "--noflush", NULL };
	int in_fd, socks[2], err;

	job->pid = -1;
	job->out_fd = -1;
	*ns_sock = -1;
	if (!path)
		return -ENOENT;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks) < 0)
		return -errno;
	in_fd = memfd_with("nc-fw-in", script);
	job->out_fd = in_fd < 0 ? in_fd : memfd_with("nc-fw-out", NULL);
	if (in_fd < 0 || job->out_fd < 0) {
		err = in_fd < 0 ? in_fd : job->out_fd;
		goto fail;
	}
	job->pid = fork();
	if (job->pid == 0)
		restore_child(socks[1], in_fd, job->out_fd, path, argv);
	if (job->pid < 0) {
		err = -errno;
		goto fail;
	}
	close(in_fd);
	close(socks[1]);
	*ns_sock = socks[0];
	return 0;
fail:
	if (in_fd >= 0)
		close(in_fd);
	if (job->out_fd >= 0)
		close(job->out_fd);
	job->out_fd = -1;
	job->pid = -1;
	close(socks[0]);
	close(socks[1]);
	return err;
}

int nc_fw_receive_netns(int ns_sock)
{
	char byte;
	struct iovec iov = { &byte, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control.buf, .msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg;
	ssize_t n;
	int fd = -ECHILD;

	do
		n = recvmsg(ns_sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		fd = -errno;
	cmsg = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (cmsg && cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS &&
	    cmsg->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	close(ns_sock);
	return fd;
}

int nc_fw_wait(struct nc_fw_job *job, char *out, size_t size)
{
	int status, err = 0;

	if (job->pid <= 0)
		return -ECHILD;
	while (waitpid(job->pid, &status, 0) < 0)
		if (errno != EINTR) {
			err = -errno;
			break;
		}
	job->pid = -1;
	if (!err && WIFEXITED(status) && WEXITSTATUS(status) == 127)
		err = -ENOENT;	/* execve failed */
	else if (!err && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		err = -EINVAL;
	if (out && size > 0) {
		ssize_t n = pread(job->out_fd, out, size - 1, 0);

		out[n > 0 ? n : 0] = '\0';
	}
	close(job->out_fd);
	job->out_fd = -1;
	return err;
}

int nc_fw_counter(const char *save_output, int id, unsigned long long *packets)
{
	char tag[32];
	size_t tag_len = (size_t)snprintf(tag, sizeof(tag), "nc-%d", id);
	bool found = false;

	*packets = 0;
	for (const char *line = save_output; line && *line;) {
		const char *end = strchr(line, '\n'), *hit;
		size_t len = end ? (size_t)(end - line) : strlen(line);
		unsigned long long pkts, bytes;

		/* "[12:720] -A INPUT ... --comment nc-3 -j DROP" (or "nc-3" quoted) */
		for (hit = line; (hit = memmem(hit, len - (size_t)(hit - line), tag, tag_len));
		     hit += tag_len) {
			const char *after = hit + tag_len;
			bool ends = after == line + len || *after == ' ' || *after == '"';
			bool tagged = (hit - line >= 10 && strncmp(hit - 10, "--comment ", 10) == 0) ||
				      (hit - line >= 11 && strncmp(hit - 11, "--comment \"", 11) == 0);

			if (ends && tagged && sscanf(line, "[%llu:%llu]", &pkts, &bytes) == 2) {
				*packets += pkts;
				found = true;
				break;
			}
		}
		line = end ? end + 1 : NULL;
	}
	return found ? 0 : -ENOENT;
}
