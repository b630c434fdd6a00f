/* The kernel's TCP counters, as /proc/net/netstat lists them under
 * "TcpExt:": facts a check reads where no call tells them (an ICMP that found
 * its socket held, SYN cookies sent). */
#ifndef NC_TCPEXT_H
#define NC_TCPEXT_H

/* The counter called name ("LockDroppedIcmps") in the calling thread's
 * network namespace, or -1 when the kernel lists no such counter. */
long nc_tcpext(const char *name);

#endif
