/* The in-memory run: the names of verdicts and raw results, the appenders that build a run (its
 * checks with their assertions and packets, the clause catalog, the known
 * deviations), what it says of itself, and freeing it.  results.xml, its
 * canonical file, is written by results_write.c and read by results_read.c;
 * the status of a clause is clause_status.c's. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "results.h"

static const char *const verdict_names[NC_N_VERDICTS] = {
	[NC_PASS] = "pass",
	[NC_FAIL] = "fail",
	[NC_XFAIL] = "xfail",
	[NC_XPASS] = "xpass",
	[NC_SKIP] = "skip",
	[NC_ERROR] = "error",
};

/* The raw results' names are the verdicts' names for the same thing. */
static const char *const raw_names[NC_N_RAWS] = {
	[NC_RAW_PASSED] = "pass",
	[NC_RAW_FAILED] = "fail",
	[NC_RAW_SKIPPED] = "skip",
	[NC_RAW_ERROR] = "error",
};

static const char *name_of(const char *const *names, unsigned n, unsigned i)
{
	return i < n ? names[i] : "invalid";
}

static int index_of(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (name && strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

const char *nc_verdict_name(enum nc_verdict verdict)
{
	return name_of(verdict_names, NC_N_VERDICTS, verdict);
}

bool nc_verdict_is_problem(enum nc_verdict verdict)
{
	return verdict == NC_FAIL || verdict == NC_ERROR || verdict == NC_XPASS;
}

int nc_verdict_parse(const char *name)
{
	return index_of(verdict_names, NC_N_VERDICTS, name);
}

const char *nc_raw_name(enum nc_raw raw)
{
	return name_of(raw_names, NC_N_RAWS, raw);
}

int nc_raw_parse(const char *name)
{
	return index_of(raw_names, NC_N_RAWS, name);
}

/* --- building a run: copies, and abort() on ENOMEM (see results.h) --- */

char *nc_copy_or_abort(const char *s)
{
	char *copy = strdup(s);

	if (!copy)
		abort();
	return copy;
}

/* NULL kept out: every reader may print the copy. */
static char *copy_or_empty(const char *s)
{
	return nc_copy_or_abort(s ? s : "");
}

static void *grow_or_abort(void *array, size_t n, size_t size)
{
	void *grown = reallocarray(array, n, size);

	if (!grown)
		abort();
	return grown;
}

void nc_kv_add(struct nc_kv **list, size_t *n, const char *key, const char *value)
{
	struct nc_kv *kv;

	*list = grow_or_abort(*list, *n + 1, sizeof(**list));
	kv = &(*list)[(*n)++];
	kv->key = copy_or_empty(key);
	kv->value = copy_or_empty(value);
	kv->label = kv->side = NULL;
}

char *nc_copy_if_new(const char *text, const char *same)
{
	return text && *text && (!same || strcmp(text, same) != 0) ? nc_copy_or_abort(text) : NULL;
}

void nc_kv_describe(struct nc_kv *kv, const char *label, const char *side)
{
	free(kv->label);
	free(kv->side);
	kv->label = nc_copy_if_new(label, kv->key);
	kv->side = nc_copy_if_new(side, NULL);
}

struct nc_kv *nc_kv_set(struct nc_kv **list, size_t *n, const char *key, const char *value)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i].key, key) == 0) {
			free((*list)[i].value);
			(*list)[i].value = copy_or_empty(value);
			return &(*list)[i];
		}
	nc_kv_add(list, n, key, value);
	return &(*list)[*n - 1];
}

struct nc_result *nc_run_add_result(struct nc_run *run)
{
	struct nc_result *result;

	/* by doubling (the array is only ever grown here): a run of 50k checks
	 * is read in 17 reallocations, not 50k copies */
	if ((run->n_results & (run->n_results - 1)) == 0)
		run->results = grow_or_abort(run->results, run->n_results ? 2 * run->n_results : 1,
					     sizeof(*run->results));
	result = &run->results[run->n_results++];
	memset(result, 0, sizeof(*result));
	return result;
}

void nc_result_add_clause(struct nc_result *result, const char *clause)
{
	result->clauses = grow_or_abort(result->clauses, result->n_clauses + 2,
					sizeof(*result->clauses));
	result->clauses[result->n_clauses++] = copy_or_empty(clause);
	result->clauses[result->n_clauses] = NULL;
}

void nc_result_add_packet(struct nc_result *result, const struct nc_packet *packet)
{
	struct nc_packet *copy;

	result->packets = grow_or_abort(result->packets, result->n_packets + 1,
					sizeof(*result->packets));
	copy = &result->packets[result->n_packets++];
	*copy = *packet;
	copy->src = copy_or_empty(packet->src);
	copy->dst = copy_or_empty(packet->dst);
	copy->flags = copy_or_empty(packet->flags);
	copy->seen = copy_or_empty(packet->seen);
	copy->dropped = packet->dropped ? nc_copy_or_abort(packet->dropped) : NULL;
}

void nc_result_add_assert(struct nc_result *result, const struct nc_assert_row *row)
{
	result->asserts = grow_or_abort(result->asserts, result->n_asserts + 1,
					sizeof(*result->asserts));
	result->asserts[result->n_asserts++] = (struct nc_assert_row){
		.key = copy_or_empty(row->key), .expected = copy_or_empty(row->expected),
		.observed = copy_or_empty(row->observed), .passed = row->passed,
		.role = copy_or_empty(row->role), .file = copy_or_empty(row->file),
		.line = row->line, .message = copy_or_empty(row->message),
		.label = nc_copy_if_new(row->label, row->key), .side = nc_copy_if_new(row->side, NULL),
	};
}

struct nc_clause_row *nc_run_add_clause(struct nc_run *run, const char *id,
					const char *section, const char *zh,
					const char *en)
{
	struct nc_clause_row *row;

	run->clauses = grow_or_abort(run->clauses, run->n_clauses + 1, sizeof(*run->clauses));
	row = &run->clauses[run->n_clauses++];
	row->id = copy_or_empty(id);
	row->section = section ? nc_copy_or_abort(section) : NULL;
	row->zh = zh ? nc_copy_or_abort(zh) : NULL;
	row->en = en ? nc_copy_or_abort(en) : NULL;
	row->n_checks = -1;
	row->axes = NULL;
	row->covers = NULL;
	return row;
}

struct nc_deviation_row *nc_run_add_deviation(struct nc_run *run, const char *pattern,
					      const char *where, const char *reason)
{
	struct nc_deviation_row *d;

	run->deviations = grow_or_abort(run->deviations, run->n_deviations + 1,
					sizeof(*run->deviations));
	d = &run->deviations[run->n_deviations++];
	*d = (struct nc_deviation_row){
		.pattern = copy_or_empty(pattern), .where = copy_or_empty(where),
		.reason = copy_or_empty(reason),
	};
	return d;
}

const char *nc_env_get(const struct nc_run *run, const char *key)
{
	for (size_t i = 0; i < run->n_env; i++)
		if (strcmp(run->env[i].key, key) == 0)
			return run->env[i].value;
	return NULL;
}

const char *nc_env_or(const struct nc_run *run, const char *key, const char *fallback)
{
	const char *value = nc_env_get(run, key);

	return value ? value : fallback;
}

const char *nc_run_incomplete_text(const struct nc_run *run, char *buf, size_t size)
{
	const char *name = sigabbrev_np(run->interrupted);

	buf[0] = '\0';
	if (run->interrupted)
		snprintf(buf, size, "interrupted by SIG%s: %zu of %zu checks not run",
			 name ? name : "?", run->n_not_run, run->n_not_run + run->n_results);
	else if (run->n_not_run)	/* --maxfail */
		snprintf(buf, size, "stopped at the problem limit (--maxfail): %zu of %zu "
			 "checks not run", run->n_not_run, run->n_not_run + run->n_results);
	return buf;
}

const char *nc_rerun_command(const struct nc_run *run, const char *id, char *buf, size_t size)
{
	const char *libc = nc_env_get(run, "libc");

	/* "ID@2" is round 2 of --repeat: the check is ID */
	snprintf(buf, size, "netconform run --filter '%.*s'%s", (int)strcspn(id, "@"), id,
		 libc && strncmp(libc, "musl", 4) == 0 ? " --libc musl" : "");
	return buf;
}

void nc_run_add_unrun(struct nc_run *run, const char *id, const char *area, size_t at)
{
	run->unrun = grow_or_abort(run->unrun, run->n_unrun + 1, sizeof(*run->unrun));
	run->unrun[run->n_unrun++] = (struct nc_unrun){
		nc_copy_or_abort(id), nc_copy_or_abort(area), at,
	};
}

static void kvs_free(struct nc_kv *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].key);
		free(list[i].value);
		free(list[i].label);
		free(list[i].side);
	}
	free(list);
}

void nc_result_free(struct nc_result *r)
{
	free(r->id);
	free(r->area);
	free(r->summary);
	free(r->file);
	for (size_t i = 0; i < r->n_clauses; i++)
		free(r->clauses[i]);
	free(r->clauses);
	free(r->message);
	free(r->reason);
	kvs_free(r->expected, r->n_expected);
	kvs_free(r->observed, r->n_observed);
	for (size_t i = 0; i < r->n_packets; i++) {
		free(r->packets[i].src);
		free(r->packets[i].dst);
		free(r->packets[i].flags);
		free(r->packets[i].seen);
		free(r->packets[i].dropped);
	}
	free(r->packets);
	for (size_t i = 0; i < r->n_asserts; i++) {
		struct nc_assert_row *a = &r->asserts[i];

		free(a->key);
		free(a->label);
		free(a->side);
		free(a->expected);
		free(a->observed);
		free(a->role);
		free(a->file);
		free(a->message);
	}
	free(r->asserts);
	free(r->deviation);
	free(r->beyond);
}

void nc_run_free(struct nc_run *run)
{
	kvs_free(run->env, run->n_env);
	for (size_t i = 0; i < run->n_results; i++)
		nc_result_free(&run->results[i]);
	free(run->results);
	for (size_t i = 0; i < run->n_clauses; i++) {
		free(run->clauses[i].id);
		free(run->clauses[i].section);
		free(run->clauses[i].zh);
		free(run->clauses[i].en);
		free(run->clauses[i].axes);
		free(run->clauses[i].covers);
	}
	free(run->clauses);
	for (size_t i = 0; i < run->n_deviations; i++) {
		free(run->deviations[i].pattern);
		free(run->deviations[i].where);
		free(run->deviations[i].reason);
		kvs_free(run->deviations[i].pins, run->deviations[i].n_pins);
	}
	free(run->deviations);
	for (size_t i = 0; i < run->n_unrun; i++) {
		free(run->unrun[i].id);
		free(run->unrun[i].area);
	}
	free(run->unrun);
	memset(run, 0, sizeof(*run));
}
