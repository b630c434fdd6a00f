/* The kernel's network counters in the calling thread's network namespace,
 * as /proc/net lists them: facts a check reads where no call tells them (an
 * ICMP that found its socket held, SYN cookies sent).  Each is -1 when the
 * kernel lists no such counter (gVisor lists few). */
#ifndef NC_NET_COUNTERS_H
#define NC_NET_COUNTERS_H

/* TcpExt's counter called name ("LockDroppedIcmps"): /proc/net/netstat. */
long nc_tcpext(const char *name);
/* The ICMP destination unreachables received in family (AF_INET: /proc/net
 * /snmp's Icmp InDestUnreachs; AF_INET6: /proc/net/snmp6's
 * Icmp6InDestUnreachs). */
long nc_icmp_unreach_in(int family);

#endif
