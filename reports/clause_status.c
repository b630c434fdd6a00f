/* What the checks of a run say of each clause of the document (results.h):
 * the worst verdict among the checks that name it, as a status. */
#include <stdbool.h>
#include <string.h>

#include "results.h"

static const struct {
	const char *name, *meaning;
} statuses[NC_N_CLAUSE_STATUSES] = {
	[NC_CLAUSE_CONTRADICTED] = { "contradicted", "a check of it fails: the system does otherwise" },
	[NC_CLAUSE_DEVIATES] = { "deviates", "a known deviation, pinned in the expectation file" },
	[NC_CLAUSE_ERROR] = { "error", "its checks could not run to the end" },
	[NC_CLAUSE_HOLDS] = { "holds", "its checks pass" },
	[NC_CLAUSE_SKIPPED] = { "skipped", "its checks were all skipped here" },
	[NC_CLAUSE_NOT_SELECTED] = { "not-selected", "it has checks, but none ran in this run" },
	[NC_CLAUSE_UNCHECKED] = { "unchecked", "no check of the suite names it" },
};

const char *nc_clause_status_name(enum nc_clause_status status)
{
	return (unsigned)status < NC_N_CLAUSE_STATUSES ? statuses[status].name : "invalid";
}

const char *nc_clause_status_meaning(enum nc_clause_status status)
{
	return (unsigned)status < NC_N_CLAUSE_STATUSES ? statuses[status].meaning : "";
}

static enum nc_clause_status status_of_verdict(enum nc_verdict verdict)
{
	switch (verdict) {
	case NC_FAIL:
		return NC_CLAUSE_CONTRADICTED;
	case NC_XFAIL:
		return NC_CLAUSE_DEVIATES;
	case NC_ERROR:
		return NC_CLAUSE_ERROR;
	case NC_PASS:
	case NC_XPASS:	/* the document holds; the stale expectation is a problem of its own */
		return NC_CLAUSE_HOLDS;
	default:
		return NC_CLAUSE_SKIPPED;
	}
}

enum nc_clause_status nc_clause_status(const struct nc_run *run, const struct nc_clause_row *row)
{
	enum nc_clause_status worst = NC_CLAUSE_UNCHECKED;
	bool named = false;

	for (size_t i = 0; i < run->n_results; i++) {
		const struct nc_result *r = &run->results[i];
		enum nc_clause_status s;

		if (r->beyond)
			continue;
		for (size_t c = 0; c < r->n_clauses; c++)
			if (strcmp(r->clauses[c], row->id) == 0) {
				named = true;
				s = status_of_verdict(r->verdict);
				if (s < worst)
					worst = s;
			}
	}
	if (named)
		return worst;
	return row->n_checks > 0 ? NC_CLAUSE_NOT_SELECTED : NC_CLAUSE_UNCHECKED;
}
