/* Whether the ICMP answering a connect()'s SYN found the socket held
 * (suite/icmp_held.h). */
#include "check.h"
#include "icmp_held.h"
#include "tcpext.h"

long icmps_held(void)
{
	return nc_tcpext("LockDroppedIcmps");
}

bool icmp_came_late(long held, int attempts)
{
	return held == 0 && attempts < ICMP_ATTEMPTS;
}

void icmp_record_attempts(long held, int attempts)
{
	nc_observe(NC_KEY(attempts_ICMP_came_after_connect_slept,
			  "attempts whose first ICMP came after connect() let go of the socket"),
		   "%d", held == 0 ? attempts : attempts - 1);
	if (held == 0)
		nc_observe("overload", "in %d attempts the first ICMP never found connect() "
			   "holding the socket (TcpExt LockDroppedIcmps): the machine ran it late",
			   attempts);
}
