/* Socket addresses as a check writes them: "198.18.0.2:9", "[2001:db8::2]:9". */
#ifndef NC_SOCKADDR_H
#define NC_SOCKADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

struct nc_sockaddr {
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
		struct sockaddr_storage ss;
	};
	socklen_t len;
};

#define NC_SOCKADDR_STRLEN 128

/* "a.b.c.d:port", "[v6]:port", "unix:/path", or an address without port
 * (port 0).  Returns 0 or -EINVAL. */
int nc_sockaddr_parse(const char *text, struct nc_sockaddr *out);
/* Always NUL-terminates; "(null)" for NULL. */
char *nc_sockaddr_str(const struct nc_sockaddr *addr, char *buf, size_t size);
/* Same length and same text: family, address and port (not padding). */
bool nc_sockaddr_equal(const struct nc_sockaddr *a, const struct nc_sockaddr *b);
int nc_sockaddr_port(const struct nc_sockaddr *addr);
void nc_sockaddr_set_port(struct nc_sockaddr *addr, int port);
/* The address a descriptor is bound to / connected to. */
int nc_sockaddr_local(int fd, struct nc_sockaddr *out);
int nc_sockaddr_peer(int fd, struct nc_sockaddr *out);

#endif
