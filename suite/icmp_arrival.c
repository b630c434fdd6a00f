/* Whether the ICMP answering a connect()'s SYN found the socket held
 * (suite/icmp_arrival.h). */
#include "check.h"
#include "icmp_arrival.h"
#include "net_counters.h"

void icmp_count(struct icmp_counts *now, int family)
{
	now->came = nc_icmp_unreach_in(family);
	now->held = nc_tcpext("LockDroppedIcmps");
}

enum icmp_arrival icmp_arrival(const struct icmp_counts *before, const struct icmp_counts *now)
{
	if (before->came < 0 || before->held < 0 || now->came < 0 || now->held < 0 ||
	    now->came == before->came)
		return ICMP_UNSEEN;
	return now->held > before->held ? ICMP_INSIDE : ICMP_LATE;
}

/* The attempt's ICMP came, not the way wanted. */
static bool came_otherwise(enum icmp_arrival arrival, enum icmp_arrival wanted)
{
	return wanted != ICMP_UNSEEN && arrival != ICMP_UNSEEN && arrival != wanted;
}

bool icmp_attempt_again(enum icmp_arrival arrival, enum icmp_arrival wanted, int made)
{
	return came_otherwise(arrival, wanted) && made < ICMP_ATTEMPTS;
}

void icmp_record_attempts(enum icmp_arrival judged, enum icmp_arrival wanted, int made)
{
	bool otherwise = came_otherwise(judged, wanted);
	const char *way = wanted == ICMP_INSIDE ? "found connect() holding the socket" :
			  "came after connect() let go of the socket";

	if (wanted == ICMP_UNSEEN)
		return;
	nc_observe(NC_KEY(attempts_ICMP_came_otherwise,
			  "attempts whose ICMP came otherwise than the case needs"),
		   "%d", otherwise ? made : made - 1);
	if (otherwise)
		nc_observe("not_provoked", "in %d attempts the ICMP never %s (TcpExt "
			   "LockDroppedIcmps)", made, way);
}
