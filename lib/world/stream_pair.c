/* A connected stream pair, made through a real listen()/connect()/accept(). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "endpoint.h"
#include "error.h"
#include "net.h"
#include "stream_pair.h"

static int listener_open(const struct nc_sockaddr *at, struct nc_sockaddr *bound)
{
	int fd = socket(at->sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char text[NC_SOCKADDR_STRLEN];
	int err;

	if (fd < 0)
		return nc_error(-errno, "stream pair: socket");
	if (bind(fd, &at->sa, at->len) < 0 || listen(fd, 1) < 0)
		goto fail;
	err = nc_sockaddr_local(fd, bound);
	if (err < 0) {
		close(fd);
		return err;
	}
	return fd;
fail:
	err = -errno;
	close(fd);
	return nc_error(err, "stream pair: listen on %s", nc_sockaddr_str(at, text, sizeof(text)));
}

int nc_stream_pair_open(struct nc_host *server_host, struct nc_host *client_host,
			const struct nc_sockaddr *listen_at, struct nc_stream_pair *out)
{
	int listen_fd, err;

	memset(out, 0, sizeof(*out));
	out->client = out->server = -1;
	if (server_host && (err = nc_host_enter(server_host)) < 0)
		return err;
	listen_fd = listener_open(listen_at, &out->server_addr);
	if (listen_fd < 0)
		return listen_fd;
	err = client_host ? nc_host_enter(client_host) : 0;
	if (!err && (err = nc_connection(listen_fd, &out->server_addr, &out->client,
					 &out->server)) < 0)
		nc_error(err, "stream pair: connect to the listener");
	if (!err)
		err = nc_sockaddr_local(out->client, &out->client_addr);
	close(listen_fd);
	if (err < 0 && out->client >= 0) {
		close(out->client);
		close(out->server);
		out->client = out->server = -1;
	}
	return err;
}

void nc_sockaddr_abstract(const char *name, struct nc_sockaddr *out)
{
	size_t name_len = strnlen(name, sizeof(out->un.sun_path) - 1);

	memset(out, 0, sizeof(*out));
	out->un.sun_family = AF_UNIX;
	memcpy(out->un.sun_path + 1, name, name_len);	/* sun_path[0] = '\0' */
	out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + name_len);
}
