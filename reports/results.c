/* The in-memory run: verdict names, the appenders that build a run, and
 * freeing it.  results.xml, its canonical file, is written by
 * results_write.c and read by results_read.c. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"
#include "results.h"
#include "writer.h"

static const char *const verdict_names[NC_N_VERDICTS] = {
	[NC_PASS] = "pass",
	[NC_FAIL] = "fail",
	[NC_XFAIL] = "xfail",
	[NC_XPASS] = "xpass",
	[NC_SKIP] = "skip",
	[NC_ERROR] = "error",
};

const char *nc_verdict_name(enum nc_verdict verdict)
{
	if ((unsigned)verdict >= NC_N_VERDICTS)
		return "invalid";
	return verdict_names[verdict];
}

int nc_verdict_parse(const char *name)
{
	for (int v = 0; v < NC_N_VERDICTS; v++)
		if (name && strcmp(name, verdict_names[v]) == 0)
			return v;
	return -1;
}

/* --- building a run: copies, and abort() on ENOMEM (see results.h) --- */

char *nc_copy_or_abort(const char *s)
{
	char *copy = strdup(s);

	if (!copy)
		abort();
	return copy;
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
	/* NULL is kept out: every reader may print a value. */
	kv->key = nc_copy_or_abort(key ? key : "");
	kv->value = nc_copy_or_abort(value ? value : "");
}

void nc_kv_set(struct nc_kv **list, size_t *n, const char *key, const char *value)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*list)[i].key, key) == 0) {
			free((*list)[i].value);
			(*list)[i].value = nc_copy_or_abort(value ? value : "");
			return;
		}
	nc_kv_add(list, n, key, value);
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
	result->clauses[result->n_clauses++] = nc_copy_or_abort(clause ? clause : "");
	result->clauses[result->n_clauses] = NULL;
}

void nc_result_add_packet(struct nc_result *result, const struct nc_packet *packet)
{
	struct nc_packet *copy;

	result->packets = grow_or_abort(result->packets, result->n_packets + 1,
					sizeof(*result->packets));
	copy = &result->packets[result->n_packets++];
	*copy = *packet;
	copy->src = nc_copy_or_abort(packet->src ? packet->src : "");
	copy->dst = nc_copy_or_abort(packet->dst ? packet->dst : "");
	copy->flags = nc_copy_or_abort(packet->flags ? packet->flags : "");
	copy->seen = nc_copy_or_abort(packet->seen ? packet->seen : "");
	copy->dropped = packet->dropped ? nc_copy_or_abort(packet->dropped) : NULL;
}

struct nc_clause_row *nc_run_add_clause(struct nc_run *run, const char *id,
					const char *section, const char *zh,
					const char *en)
{
	struct nc_clause_row *row;

	run->clauses = grow_or_abort(run->clauses, run->n_clauses + 1, sizeof(*run->clauses));
	row = &run->clauses[run->n_clauses++];
	row->id = nc_copy_or_abort(id ? id : "");
	row->section = section ? nc_copy_or_abort(section) : NULL;
	row->zh = zh ? nc_copy_or_abort(zh) : NULL;
	row->en = en ? nc_copy_or_abort(en) : NULL;
	row->n_checks = -1;
	row->axes = NULL;
	row->covers = NULL;
	return row;
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
	nc_result_free_conformance(r);
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
	nc_run_free_deviations(run);
	for (size_t i = 0; i < run->n_unrun; i++) {
		free(run->unrun[i].id);
		free(run->unrun[i].area);
	}
	free(run->unrun);
	memset(run, 0, sizeof(*run));
}
