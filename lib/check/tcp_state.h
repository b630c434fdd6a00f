/* TCP states: reading one of the check's own sockets, naming any. */
#ifndef NC_TCP_STATE_H
#define NC_TCP_STATE_H

/* TCP_INFO's state of fd (TCP_ESTABLISHED ...), or -errno. */
int nc_tcp_state(int fd);
/* The document's spelling: "ESTABLISHED", "FIN_WAIT_1", "CLOSED", ...;
 * "?" for anything else. */
const char *nc_tcp_state_name(int state);

#endif
