/* A TCP socket's state as the check's own process sees it (TCP_INFO), and
 * the names the document uses for the states (FIN_WAIT_1, CLOSED, ...). */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "tcp_state.h"

#define NEW_SYN_RECV 12	/* a request socket, as sock_diag reports it */

int nc_tcp_state(int fd)
{
	struct tcp_info info;
	socklen_t len = sizeof(info);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &len) < 0)
		return -errno;
	return info.tcpi_state;
}

const char *nc_tcp_state_name(int state)
{
	static const char *const names[] = {
		[TCP_ESTABLISHED] = "ESTABLISHED",
		[TCP_SYN_SENT] = "SYN_SENT",
		[TCP_SYN_RECV] = "SYN_RECV",
		[TCP_FIN_WAIT1] = "FIN_WAIT_1",
		[TCP_FIN_WAIT2] = "FIN_WAIT_2",
		[TCP_TIME_WAIT] = "TIME_WAIT",
		[TCP_CLOSE] = "CLOSED",
		[TCP_CLOSE_WAIT] = "CLOSE_WAIT",
		[TCP_LAST_ACK] = "LAST_ACK",
		[TCP_LISTEN] = "LISTEN",
		[TCP_CLOSING] = "CLOSING",
		[NEW_SYN_RECV] = "NEW_SYN_RECV",
	};

	if (state < 0 || (size_t)state >= sizeof(names) / sizeof(names[0]) || !names[state])
		return "?";
	return names[state];
}
