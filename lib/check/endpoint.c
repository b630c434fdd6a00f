/* TCP endpoints (lib/check/endpoint.h). */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "endpoint.h"

int nc_local_port_range(int *low, int *high)
{
	FILE *range = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");
	int n;

	if (!range)
		return -errno;
	n = fscanf(range, "%d %d", low, high);
	fclose(range);
	return n == 2 ? 0 : -EIO;
}

int nc_setsockopt_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value)) < 0 ? -errno : 0;
}

int nc_getsockopt_int(int fd, int level, int name, int *value)
{
	socklen_t len = sizeof(*value);

	return getsockopt(fd, level, name, value, &len) < 0 ? -errno : 0;
}

int nc_listener(const char *addr, int backlog, int reuseaddr,
		struct nc_sockaddr *bound)
{
	struct nc_sockaddr local;
	int fd, err;

	err = nc_sockaddr_parse(addr, &local);
	if (err < 0)
		return err;
	fd = socket(local.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (reuseaddr)
		err = nc_setsockopt_int(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (!err && bind(fd, &local.sa, local.len) < 0)
		err = -errno;
	if (!err && listen(fd, backlog) < 0)
		err = -errno;
	if (!err && bound)
		err = nc_sockaddr_local(fd, bound);
	if (err < 0) {
		close(fd);
		return err;
	}
	return fd;
}

int nc_connection(int listen_fd, const struct nc_sockaddr *peer,
		  int *client, int *server)
{
	int fd = socket(peer->sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int accepted, err;

	if (fd < 0)
		return -errno;
	if (connect(fd, &peer->sa, peer->len) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	accepted = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (accepted < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	*client = fd;
	*server = accepted;
	return 0;
}
