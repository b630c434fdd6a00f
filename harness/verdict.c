/* The verdict table: an expectation turns a failure into xfail and a pass
 * into xpass; skips and errors say what they say. */
#include "harness.h"

enum nc_verdict nc_verdict_of(enum nc_verdict outcome, bool expected_to_fail)
{
	if (!expected_to_fail)
		return outcome;
	switch (outcome) {
	case NC_FAIL:
		return NC_XFAIL;
	case NC_PASS:
		return NC_XPASS;
	default:
		return outcome;
	}
}
