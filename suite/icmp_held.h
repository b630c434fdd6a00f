/* Whether the ICMP answering a connect()'s SYN found the socket held by
 * that call (suite/icmp_held.c), for the connect-6 checks.
 *
 * Linux keeps an ICMP for a SYN as a soft error only when it finds the
 * socket held by the connect() that sent the SYN, as it does when the veth
 * path delivers it inside that call; one that comes once connect() has let
 * go of the socket ends the attempt at once (tcp_v4_err(), tcp_v6_err()).
 * Which of the two the first SYN's ICMP meets is the machine's scheduling:
 * a softirq run inside the call, or later by ksoftirqd (6.1 in QEMU, under
 * load).  TcpExt LockDroppedIcmps counts the ICMPs that found their socket
 * held: an attempt whose first ICMP came later is made again, up to
 * ICMP_ATTEMPTS in all.  An ICMP that comes while connect() sleeps is still
 * tested: the one answering the SYN sent again from the timer
 * (connect.icmp_host_unreach). */
#ifndef NC_ICMP_HELD_H
#define NC_ICMP_HELD_H

#include <stdbool.h>

#define ICMP_ATTEMPTS 5

/* The ICMPs that found their socket held so far, in the calling thread's
 * network namespace; -1 unknown (not Linux). */
long icmps_held(void);
/* Whether an attempt is made again: held (the count's change over it; -1
 * unknown) says none of its ICMPs found the socket held, and fewer than
 * ICMP_ATTEMPTS were made. */
bool icmp_came_late(long held, int attempts);
/* Records how many of the attempts had their first ICMP come late, and,
 * when the one judged (the last, held) did too, the overload that makes
 * its failure an error, never a finding. */
void icmp_record_attempts(long held, int attempts);

#endif
