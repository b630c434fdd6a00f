/* Socket addresses as text, both ways. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sockaddr.h"
#include "strnum.h"

static int parse_port(const char *text, int *port)
{
	long value;

	if (nc_parse_long(text, 0, 65535, &value) < 0)
		return -EINVAL;
	*port = (int)value;
	return 0;
}

int nc_sockaddr_parse(const char *text, struct nc_sockaddr *out)
{
	char host[INET6_ADDRSTRLEN + 1];
	struct in_addr v4;
	struct in6_addr v6;
	const char *port_text = NULL;
	int port = 0;
	size_t host_len;

	memset(out, 0, sizeof(*out));
	if (strncmp(text, "unix:", 5) == 0) {
		size_t path_len = strlen(text + 5);

		if (path_len >= sizeof(out->un.sun_path))
			return -EINVAL;
		out->un.sun_family = AF_UNIX;
		memcpy(out->un.sun_path, text + 5, path_len + 1);
		out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + path_len + 1);
		return 0;
	}
	if (text[0] == '[') {
		const char *close = strchr(text, ']');

		if (!close)
			return -EINVAL;
		host_len = (size_t)(close - text - 1);
		if (close[1] == ':')
			port_text = close + 2;
		else if (close[1])
			return -EINVAL;
		text++;
	} else {
		const char *colon = strchr(text, ':');

		if (colon && strchr(colon + 1, ':'))	/* bare IPv6, no port */
			colon = NULL;
		host_len = colon ? (size_t)(colon - text) : strlen(text);
		if (colon)
			port_text = colon + 1;
	}
	if (host_len >= sizeof(host))
		return -EINVAL;
	memcpy(host, text, host_len);
	host[host_len] = '\0';
	if (port_text && parse_port(port_text, &port) < 0)
		return -EINVAL;

	/* Into their own buffers: musl's inet_pton() writes the bytes it
	 * parsed before it fails, and sin_addr lies over sin6_flowinfo. */
	if (inet_pton(AF_INET, host, &v4) == 1) {
		out->in.sin_family = AF_INET;
		out->in.sin_addr = v4;
		out->in.sin_port = htons((uint16_t)port);
		out->len = sizeof(out->in);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6) == 1) {
		out->in6.sin6_family = AF_INET6;
		out->in6.sin6_addr = v6;
		out->in6.sin6_port = htons((uint16_t)port);
		out->len = sizeof(out->in6);
		return 0;
	}
	return -EINVAL;
}

char *nc_sockaddr_str(const struct nc_sockaddr *addr, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN];

	if (!addr) {
		snprintf(buf, size, "(null)");
		return buf;
	}
	switch (addr->sa.sa_family) {
	case AF_INET:
		inet_ntop(AF_INET, &addr->in.sin_addr, host, sizeof(host));
		snprintf(buf, size, "%s:%d", host, ntohs(addr->in.sin_port));
		break;
	case AF_INET6:
		inet_ntop(AF_INET6, &addr->in6.sin6_addr, host, sizeof(host));
		snprintf(buf, size, "[%s]:%d", host, ntohs(addr->in6.sin6_port));
		break;
	case AF_UNIX:
		if (addr->len <= offsetof(struct sockaddr_un, sun_path))
			snprintf(buf, size, "unix:(unnamed)");
		else
			snprintf(buf, size, "unix:%.*s",
				 (int)(addr->len - offsetof(struct sockaddr_un, sun_path)),
				 addr->un.sun_path);
		break;
	default:
		snprintf(buf, size, "(family %d)", addr->sa.sa_family);
	}
	return buf;
}

bool nc_sockaddr_equal(const struct nc_sockaddr *a, const struct nc_sockaddr *b)
{
	char a_str[NC_SOCKADDR_STRLEN], b_str[NC_SOCKADDR_STRLEN];

	return a->len == b->len &&
	       strcmp(nc_sockaddr_str(a, a_str, sizeof(a_str)),
		      nc_sockaddr_str(b, b_str, sizeof(b_str))) == 0;
}

int nc_sockaddr_port(const struct nc_sockaddr *addr)
{
	if (addr->sa.sa_family == AF_INET)
		return ntohs(addr->in.sin_port);
	if (addr->sa.sa_family == AF_INET6)
		return ntohs(addr->in6.sin6_port);
	return -1;
}

void nc_sockaddr_set_port(struct nc_sockaddr *addr, int port)
{
	if (addr->sa.sa_family == AF_INET)
		addr->in.sin_port = htons((uint16_t)port);
	else if (addr->sa.sa_family == AF_INET6)
		addr->in6.sin6_port = htons((uint16_t)port);
}

int nc_sockaddr_local(int fd, struct nc_sockaddr *out)
{
	memset(out, 0, sizeof(*out));
	out->len = sizeof(out->ss);
	return getsockname(fd, &out->sa, &out->len) < 0 ? -errno : 0;
}

int nc_sockaddr_peer(int fd, struct nc_sockaddr *out)
{
	memset(out, 0, sizeof(*out));
	out->len = sizeof(out->ss);
	return getpeername(fd, &out->sa, &out->len) < 0 ? -errno : 0;
}
