/* Two runs matched check by check (netconform compare A B), the model that
 * the text summary (compare_text.c) and the page (compare_page.c) show:
 * each check's row says whether its verdict changed, it is in one run only,
 * its observed values differ, or they differ only by run-to-run noise
 * (ports, descriptors, ISNs, timer remainders, a few ms).
 *
 * Checks are matched by id through a hash table: linear in the number of
 * checks.  An id twice in one file makes the answer depend on which one is
 * matched, so such a file is refused. */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "id_set.h"

/* Values that say nothing across runs, whatever they are. */
static const char *const noise_keys[] = {
	"fd", "*fd*", "accept()", "socket()", "*port", "*.seq", "*.ack", "*isn*", "*timer*", "*remaining*", "heap_*",
	/* how busy the machine was (lib/check/timing.h) */
	"wall_ms", "sched_delay_ms", "overload",
};
/* Durations: equal within a few ms. */
static const char *const time_keys[] = {
	"*_ms", "*_us", "*(ms)*", "*elapsed*", "*slept*",
};
#define TIME_SLACK 5	/* ms, or 10 % */

static bool matches(const char *const *globs, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (fnmatch(globs[i], key, 0) == 0)
			return true;
	return false;
}

bool nc_key_is_noise(const char *key)
{
	return matches(noise_keys, sizeof(noise_keys) / sizeof(noise_keys[0]), key);
}

/* One number of a value that may differ by noise: a time within the slack
 * ("59996 ms left"), an ephemeral port (":40012"), a descriptor ("fd 23"). */
static bool noisy_number(const char *key, const char *start, const char *at,
			 const char *after, unsigned long long a, unsigned long long b)
{
	unsigned long long diff = a > b ? a - b : b - a, most = a > b ? a : b;
	size_t before = (size_t)(at - start);

	if (matches(time_keys, sizeof(time_keys) / sizeof(time_keys[0]), key) ||
	    strncmp(after, " ms", 3) == 0)
		return diff <= TIME_SLACK || diff * 10 <= most;
	if (before >= 1 && at[-1] == ':' && a >= 1024 && b >= 1024)
		return true;
	return before >= 3 && strncmp(at - 3, "fd ", 3) == 0;
}

bool nc_value_differs(const char *key, const char *a, const char *b, bool *noise)
{
	const char *pa = a, *pb = b;

	*noise = false;
	if (!a || !b) {
		/* a noisy value one run has and the other lacks (ISNs a newer
		 * capture records) is noise too */
		*noise = a != b && nc_key_is_noise(key);
		return a != b && !*noise;
	}
	if (strcmp(a, b) == 0)
		return false;
	if (nc_key_is_noise(key)) {
		*noise = true;
		return false;
	}
	while (*pa && *pb) {
		if (isdigit((unsigned char)*pa) && isdigit((unsigned char)*pb)) {
			char *ea, *eb;
			unsigned long long na = strtoull(pa, &ea, 10), nb = strtoull(pb, &eb, 10);

			if (na != nb && !noisy_number(key, a, pa, ea, na, nb))
				return true;
			*noise |= na != nb;
			pa = ea;
			pb = eb;
		} else if (*pa++ != *pb++) {
			return true;
		}
	}
	if (*pa || *pb) {
		*noise = false;
		return true;
	}
	return false;
}

const char *nc_kv_value(const struct nc_kv *list, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].key, key) == 0)
			return list[i].value;
	return NULL;
}

/* --- matching --- */

static const struct nc_result *table_find(const struct nc_id_set *t, const struct nc_run *run,
					  const char *id)
{
	const size_t *i = nc_id_set_get(t, id);

	return i ? &run->results[*i] : NULL;
}

/* VALUES when a value differs beyond noise, NOISE when only by noise. */
static enum row_kind values_kind(const struct nc_result *a, const struct nc_result *b)
{
	enum row_kind kind = SAME;
	bool noise;

	for (size_t i = 0; i < a->n_observed; i++) {
		const struct nc_kv *kv = &a->observed[i];

		if (nc_value_differs(kv->key, kv->value,
				     nc_kv_value(b->observed, b->n_observed, kv->key), &noise))
			return VALUES;
		if (noise)
			kind = NOISE;
	}
	for (size_t i = 0; i < b->n_observed; i++) {
		const char *key = b->observed[i].key;

		if (nc_kv_value(a->observed, a->n_observed, key))
			continue;
		if (!nc_key_is_noise(key))
			return VALUES;
		kind = NOISE;
	}
	return kind;
}

int nc_compare_runs(struct comparison *c, char *err, size_t errsize)
{
	struct nc_id_set ta = { 0 }, tb = { 0 };
	const struct nc_run *a = c->a, *b = c->b;
	int status = -1;

	if (nc_id_set_of_run(&ta, a, c->a_path, "which one to compare?", err, errsize) < 0 ||
	    nc_id_set_of_run(&tb, b, c->b_path, "which one to compare?", err, errsize) < 0)
		goto out;
	c->rows = calloc(a->n_results + b->n_results + 1, sizeof(*c->rows));
	if (!c->rows) {
		snprintf(err, errsize, "compare: out of memory");
		goto out;
	}
	c->a_selection = nc_env_or(a, "selection", "all");
	c->b_selection = nc_env_or(b, "selection", "all");
	c->same_selection = strcmp(c->a_selection, c->b_selection) == 0;
	c->a_expect = nc_env_or(a, "expectations", "none");
	c->b_expect = nc_env_or(b, "expectations", "none");
	for (size_t i = 0; i < a->n_results; i++) {
		struct row *row = &c->rows[c->n_rows++];

		row->a = &a->results[i];
		row->b = table_find(&tb, b, row->a->id);
		if (!row->b)
			row->kind = ONLY_A;
		else if (row->a->verdict != row->b->verdict)
			row->kind = VERDICT;
		else
			row->kind = values_kind(row->a, row->b);
		c->counts[row->kind]++;
	}
	for (size_t i = 0; i < b->n_results; i++)
		if (!table_find(&ta, a, b->results[i].id)) {
			c->rows[c->n_rows++] = (struct row){ .b = &b->results[i], .kind = ONLY_B };
			c->counts[ONLY_B]++;
		}
	status = 0;
out:
	nc_id_set_free(&ta);
	nc_id_set_free(&tb);
	return status;
}

size_t nc_verdict_diffs(const struct comparison *c)
{
	return c->counts[VERDICT] +
	       (c->same_selection ? c->counts[ONLY_A] + c->counts[ONLY_B] : 0);
}
