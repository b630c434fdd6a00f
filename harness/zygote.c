/* The zygote (zygote.h): a loop that forks a check for each request on its
 * socket, with the descriptors that came with it, and tells the runner of
 * each check that ended, as waitpid() gave it. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "confine.h"
#include "fork_code.h"
#include "sandbox.h"
#include "stop.h"
#include "zygote.h"

/* What the zygote says: a check forked (pid, or -errno in value), with its
 * exit descriptor; or a check gone (value: its status). */
struct message {
	enum { FORKED, EXITED } kind;
	pid_t pid;
	int value;
};

/* Sends len bytes of data with n descriptors.  0 or -errno. */
static int send_fds(int sock, const void *data, size_t len, const int *fds, size_t n)
{
	char control[CMSG_SPACE(3 * sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t sent;

	if (n) {
		struct cmsghdr *cmsg;

		msg.msg_control = control;
		msg.msg_controllen = CMSG_SPACE(n * sizeof(int));
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(cmsg), fds, n * sizeof(int));
	}
	while ((sent = sendmsg(sock, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	return sent == (ssize_t)len ? 0 : sent < 0 ? -errno : -EPROTO;
}

/* Receives one message of len bytes and up to 3 descriptors (close-on-exec)
 * into fds, their number in *n.  1, 0 at end of file, or -errno. */
static int recv_fds(int sock, void *data, size_t len, int *fds, size_t *n)
{
	char control[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { .iov_base = data, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	ssize_t got;

	*n = 0;
	while ((got = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); got >= 0 && c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			*n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			memcpy(fds, CMSG_DATA(c), *n * sizeof(int));
		}
	if (got < 0)
		return -errno;
	if (got == 0)
		return 0;
	return got == (ssize_t)len && !(msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) ? 1 : -EPROTO;
}

static void close_fds(const int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
}

/* The zygote's loop, until the runner closes its end. */
static void __attribute__((noreturn))
serve(int sock, pid_t runner, struct nc_test *const *tests, size_t n_tests,
      const struct nc_run_options *opt)
{
	sigset_t chld;
	int sfd;

	/* dies with the runner, even one gone before this line */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != runner)
		_exit(1);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		_exit(1);
	(void)nc_confine_reserve();	/* else each check maps its own */
	(void)nc_fork_code_share();	/* else each check faults its code in */
	for (;;) {
		struct pollfd fds[2] = { { .fd = sock, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
		struct signalfd_siginfo info;
		struct message said;
		size_t index, n;
		int got[3], status, err;
		pid_t pid;

		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			_exit(1);
		if (fds[1].revents) {
			while (read(sfd, &info, sizeof(info)) > 0)
				;
			while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
				said = (struct message){ .kind = EXITED, .pid = pid, .value = status };
				if (send_fds(sock, &said, sizeof(said), NULL, 0) < 0)
					_exit(1);
			}
		}
		if (!(fds[0].revents & (POLLIN | POLLHUP)))
			continue;
		err = recv_fds(sock, &index, sizeof(index), got, &n);
		if (err == 0)
			_exit(0);	/* the run is over */
		if (err < 0 || n != 3 || index >= n_tests)
			_exit(1);
		said = (struct message){ .kind = FORKED, .value = 0 };
		said.pid = nc_sandbox_fork(&said.value);
		if (said.pid == 0) {
			close(sock);
			close(sfd);
			/* A process group of its own: Ctrl-C (SIGINT to the
			 * terminal's group) reaches the runner, which ends the
			 * check as interrupted, not the check's processes, which
			 * would end it as an error.  The mask the run started
			 * with, SIGCHLD unblocked too. */
			setpgid(0, 0);
			nc_stop_restore();
			nc_child_main(tests[index], &(struct nc_child_fds){
				.records = got[0], .ready = got[1], .go = got[2] }, opt);
		}
		close_fds(got, 3);
		if (said.pid < 0) {
			said.value = said.pid;
			said.pid = -1;
		}
		err = send_fds(sock, &said, sizeof(said), &said.value, said.pid > 0);
		if (said.pid > 0)
			close(said.value);
		if (err < 0)
			_exit(1);
	}
}

int nc_zygote_start(struct nc_zygote *zygote, struct nc_test *const *tests, size_t n,
		    const struct nc_run_options *opt)
{
	int ends[2];
	pid_t runner = getpid();

	memset(zygote, 0, sizeof(*zygote));
	zygote->sock = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ends) < 0)
		return -errno;
	fflush(NULL);	/* nothing the runner has yet to print goes out twice */
	zygote->pid = fork();
	if (zygote->pid == 0) {
		close(ends[0]);
		prctl(PR_SET_NAME, "nc-zygote");	/* ps and perf tell the parts apart */
		serve(ends[1], runner, tests, n, opt);
	}
	close(ends[1]);
	if (zygote->pid < 0) {
		close(ends[0]);
		return -errno;
	}
	zygote->sock = ends[0];
	return 0;
}

/* The zygote's next message into *said, its descriptor (or -1) in *fd; 0
 * or -errno (-EPIPE: the zygote is gone). */
static int next_message(struct nc_zygote *zygote, struct message *said, int *fd)
{
	int fds[3];
	size_t n;
	int err = recv_fds(zygote->sock, said, sizeof(*said), fds, &n);

	if (err <= 0) {
		close_fds(fds, n);
		return err == 0 ? -EPIPE : err;
	}
	if (n > 1 || (said->kind == FORKED && said->pid > 0 && n != 1)) {
		close_fds(fds, n);
		return -EPROTO;
	}
	*fd = n ? fds[0] : -1;
	return 0;
}

static int keep_early(struct nc_zygote *zygote, const struct message *said)
{
	if (zygote->n_early == zygote->cap_early) {
		size_t cap = zygote->cap_early ? 2 * zygote->cap_early : 16;
		struct nc_zygote_exit *grown = realloc(zygote->early, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		zygote->early = grown;
		zygote->cap_early = cap;
	}
	zygote->early[zygote->n_early++] = (struct nc_zygote_exit){ said->pid, said->value };
	return 0;
}

pid_t nc_zygote_fork(struct nc_zygote *zygote, size_t index, const struct nc_child_fds *fds,
		     int *exit_fd)
{
	const int given[3] = { fds->records, fds->ready, fds->go };
	struct message said;
	int err = send_fds(zygote->sock, &index, sizeof(index), given, 3);

	while (!err) {
		err = next_message(zygote, &said, exit_fd);
		if (!err && said.kind == FORKED)
			return said.pid > 0 ? said.pid : said.value < 0 ? said.value : -EPROTO;
		if (!err)
			err = keep_early(zygote, &said);
	}
	return err == -EPIPE || err == -ECONNRESET ? -ECHILD : err;
}

int nc_zygote_wait(struct nc_zygote *zygote, pid_t pid, int *status)
{
	struct message said;
	int fd, err = 0;

	for (size_t i = 0; i < zygote->n_early; i++)
		if (zygote->early[i].pid == pid) {
			if (status)
				*status = zygote->early[i].status;
			zygote->early[i] = zygote->early[--zygote->n_early];
			return 0;
		}
	while (!err) {
		err = next_message(zygote, &said, &fd);
		if (err)
			break;
		if (fd >= 0)
			close(fd);
		if (said.kind == EXITED && said.pid == pid) {
			if (status)
				*status = said.value;
			return 0;
		}
		if (said.kind == EXITED)
			err = keep_early(zygote, &said);
		else
			err = -EPROTO;
	}
	/* the zygote gone, its checks died with it */
	if (status)
		*status = SIGKILL;
	return err;
}

void nc_zygote_stop(struct nc_zygote *zygote)
{
	if (zygote->sock >= 0)
		close(zygote->sock);
	if (zygote->pid > 0)
		while (waitpid(zygote->pid, NULL, 0) < 0 && errno == EINTR)
			;
	free(zygote->early);
	memset(zygote, 0, sizeof(*zygote));
	zygote->sock = -1;
}
