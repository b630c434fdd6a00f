/* Whether the ICMP answering a connect()'s SYN found the socket held by
 * that call (suite/icmp_arrival.c), for the connect-6 checks.
 *
 * Linux keeps an ICMP for a SYN as a soft error only when it finds the
 * socket held by the connect() that sent the SYN, as it does when the veth
 * path delivers it inside that call; one that comes once connect() has let
 * go of the socket ends the attempt at once (tcp_v4_err(), tcp_v6_err()).
 * Which of the two an ICMP meets is where it comes from (a router next to
 * the client, or some way off) and the machine's scheduling: a softirq run
 * inside the call, or later by ksoftirqd (6.1 in QEMU, under load).  The
 * kernel counts both facts: the ICMPs that came (Icmp InDestUnreachs) and
 * those that found their socket held (TcpExt LockDroppedIcmps).  A check
 * names the arrival it tests; an attempt whose ICMP came the other way is
 * made again, up to ICMP_ATTEMPTS in all, and any other attempt is judged
 * as it went (no ICMP at all, an RST, an error of another kind). */
#ifndef NC_ICMP_ARRIVAL_H
#define NC_ICMP_ARRIVAL_H

#include <stdbool.h>

#define ICMP_ATTEMPTS 5

/* The ICMP counters of the calling thread's network namespace; -1 where
 * the kernel lists none (not Linux). */
struct icmp_counts {
	long came;			/* destination unreachables received */
	long held;			/* ICMPs that found their socket held */
};

/* How an attempt's ICMP found the socket. */
enum icmp_arrival {
	ICMP_UNSEEN,			/* none came, or the counts are unknown */
	ICMP_INSIDE,			/* held by connect(): a soft error */
	ICMP_LATE,			/* once connect() had let go of it */
};

/* The counts now, of ICMPs of family (AF_INET, AF_INET6). */
void icmp_count(struct icmp_counts *now, int family);
/* The arrival of the ICMPs that came between before and now: INSIDE when
 * one of them found the socket held (the first SYN's, as a rule). */
enum icmp_arrival icmp_arrival(const struct icmp_counts *before, const struct icmp_counts *now);
/* Whether an attempt is made again: the case tests an arrival (wanted is
 * not ICMP_UNSEEN), the attempt's ICMP came the other way, and fewer than
 * ICMP_ATTEMPTS were made. */
bool icmp_attempt_again(enum icmp_arrival arrival, enum icmp_arrival wanted, int made);
/* Records how many of the attempts made had their ICMP come otherwise than
 * wanted, and, when the one judged (the last) did too, that the case was
 * not provoked ("not_provoked"), which makes its failure an error naming
 * that, never a finding (harness/verdict.c).  Nothing for a case that
 * tests no arrival. */
void icmp_record_attempts(enum icmp_arrival judged, enum icmp_arrival wanted, int made);

#endif
