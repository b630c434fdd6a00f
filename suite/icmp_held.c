/* Whether the ICMP answering a connect()'s SYN found the socket held
 * (suite/icmp_held.h). */
#include "check.h"
#include "icmp_held.h"
#include "net_counters.h"
#include "poll_until.h"

void icmp_count(struct icmp_counts *now)
{
	now->came = nc_icmp_unreach_in();
	now->held = nc_tcpext("LockDroppedIcmps");
}

enum icmp_arrival icmp_arrival(const struct icmp_counts *before, const struct icmp_counts *now)
{
	if (before->came < 0 || before->held < 0 || now->came < 0 || now->held < 0 ||
	    now->came == before->came)
		return ICMP_UNSEEN;
	return now->held > before->held ? ICMP_INSIDE : ICMP_LATE;
}

/* An ICMP came since before (or the count is unknown: nothing to wait for). */
static int icmp_came(void *before)
{
	struct icmp_counts now;

	icmp_count(&now);
	return now.came < 0 || now.came > ((const struct icmp_counts *)before)->came;
}

enum icmp_arrival icmp_arrival_after(const struct icmp_counts *before, unsigned deadline_ms)
{
	struct icmp_counts now;

	icmp_count(&now);
	if (now.held >= 0 && now.held == before->held)
		nc_poll_until(icmp_came, (void *)before, deadline_ms, NC_BACKOFF_KERNEL_WORK);
	icmp_count(&now);
	return icmp_arrival(before, &now);
}

void icmp_record_attempts(enum icmp_arrival judged, enum icmp_arrival wanted, int made)
{
	bool otherwise = icmp_came_otherwise(judged, wanted);
	const char *way = wanted == ICMP_INSIDE ? "found connect() holding the socket" :
			  "came after connect() let go of the socket";

	nc_observe(NC_KEY(attempts_ICMP_came_otherwise,
			  "attempts whose ICMP came otherwise than the case needs"),
		   "%d", otherwise ? made : made - 1);
	if (otherwise)
		nc_observe("overload", "not provoked: in %d attempts the ICMP never %s "
			   "(TcpExt LockDroppedIcmps)", made, way);
}
