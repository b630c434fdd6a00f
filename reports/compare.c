/* Two runs side by side (netconform compare A B): verdict changes first,
 * with B's message and, when the outcome is the same, the expectations
 * named as the cause; then checks in one run only (listed when both runs
 * selected the same checks, summed up when not); then observed values that
 * differ.  Run-to-run noise (ports, descriptors, ISNs, timer remainders, a
 * few ms) is told apart and shown only on request.
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
#include "writer.h"

/* Values that say nothing across runs, whatever they are. */
static const char *const noise_keys[] = {
	"fd", "*fd*", "accept()", "socket()", "*port", "*.seq", "*.ack", "*isn*", "*timer*", "*remaining*", "heap_*",
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

static const char *env_or(const struct nc_run *run, const char *key, const char *fallback)
{
	const char *value = nc_env_get(run, key);

	return value ? value : fallback;
}

static int compare_runs(struct comparison *c, char *err, size_t errsize)
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
	c->a_selection = env_or(a, "selection", "all");
	c->b_selection = env_or(b, "selection", "all");
	c->same_selection = strcmp(c->a_selection, c->b_selection) == 0;
	c->a_expect = env_or(a, "expectations", "none");
	c->b_expect = env_or(b, "expectations", "none");
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

/* --- text --- */

static void text_env(FILE *out, const char *label, const char *path, const struct nc_run *run)
{
	fprintf(out, "%s: %s (%s; %s; %s)\n", label, path, env_or(run, "kernel", "kernel ?"),
		env_or(run, "libc", "libc ?"), env_or(run, "date", "date ?"));
}

static void text_lines(FILE *out, const char *prefix, const char *text)
{
	while (text && *text) {
		size_t len = strcspn(text, "\n");

		fprintf(out, "        %s%.*s\n", prefix, (int)len, text);
		text += len + (text[len] == '\n');
	}
}

static void text_values(FILE *out, const struct comparison *c, const struct nc_result *a,
			const struct nc_result *b)
{
	bool noise;

	for (size_t i = 0; i < a->n_observed; i++) {
		const char *key = a->observed[i].key;
		const char *other = nc_kv_value(b->observed, b->n_observed, key);

		if (nc_value_differs(key, a->observed[i].value, other, &noise) ||
		    (noise && c->show_noise))
			fprintf(out, "        %s: %s -> %s%s\n", key, a->observed[i].value,
				other ? other : "(none)", noise ? "  (noise)" : "");
	}
	for (size_t i = 0; i < b->n_observed; i++) {
		const char *key = b->observed[i].key;

		noise = nc_key_is_noise(key);
		if (!nc_kv_value(a->observed, a->n_observed, key) && (!noise || c->show_noise))
			fprintf(out, "        %s: (none) -> %s%s\n", key, b->observed[i].value,
				noise ? "  (noise)" : "");
	}
}

static void text_verdict(FILE *out, const struct comparison *c, const struct row *row)
{
	const struct nc_result *b = row->b;

	fprintf(out, "verdict  %-44s %s -> %s\n", row->a->id, nc_verdict_name(row->a->verdict),
		nc_verdict_name(b->verdict));
	if (b->verdict == NC_XFAIL || b->verdict == NC_XPASS)
		text_lines(out, "B expected to fail: ", b->reason);
	text_lines(out, "B: ", b->message);
	/* the check did the same; what was expected of it did not */
	if (row->a->outcome == b->outcome)
		fprintf(out, "        cause: the expectations (A: %s, B: %s)\n", c->a_expect,
			c->b_expect);
	text_values(out, c, row->a, b);
}

static void write_text(FILE *out, const struct comparison *c)
{
	static const char *const labels[N_KINDS] = {
		[ONLY_A] = "only A", [ONLY_B] = "only B", [VALUES] = "values", [NOISE] = "noise",
	};

	text_env(out, "A", c->a_path, c->a);
	text_env(out, "B", c->b_path, c->b);
	if (strcmp(c->a_expect, c->b_expect) != 0)
		fprintf(out, "expectations differ: A %s, B %s\n", c->a_expect, c->b_expect);
	if (!c->same_selection)
		fprintf(out, "selections differ: A %s, B %s: %zu check%s only in A, %zu only in B "
			"(not listed, not counted)\n", c->a_selection, c->b_selection,
			c->counts[ONLY_A], c->counts[ONLY_A] == 1 ? "" : "s", c->counts[ONLY_B]);
	for (enum row_kind kind = VERDICT; kind < SAME; kind++) {
		if ((kind == ONLY_A || kind == ONLY_B) && !c->same_selection)
			continue;
		if (kind == NOISE && !c->show_noise)
			continue;
		for (size_t i = 0; i < c->n_rows; i++) {
			const struct row *row = &c->rows[i];
			const struct nc_result *r = row->a ? row->a : row->b;

			if (row->kind != kind)
				continue;
			if (kind == VERDICT) {
				text_verdict(out, c, row);
				continue;
			}
			fprintf(out, "%-8s %-44s %s\n", labels[kind], r->id,
				nc_verdict_name(r->verdict));
			if (row->a && row->b)
				text_values(out, c, row->a, row->b);
		}
	}
	fprintf(out, "compare: %zu checks, %zu same, %zu verdicts differ, %zu values differ, "
		"%zu differ by noise only%s, %zu only in A, %zu only in B\n", c->n_rows,
		c->counts[SAME], c->counts[VERDICT], c->counts[VALUES], c->counts[NOISE],
		c->show_noise ? "" : " (--noise shows them)", c->counts[ONLY_A], c->counts[ONLY_B]);
}

int nc_compare_write(const struct nc_run *a, const char *a_path,
		     const struct nc_run *b, const char *b_path, bool show_noise,
		     FILE *out, const char *html_path, char *err, size_t errsize)
{
	struct comparison c = {
		.a = a, .b = b, .a_path = a_path, .b_path = b_path, .show_noise = show_noise,
	};
	int status = compare_runs(&c, err, errsize);

	/* the page first: when it cannot be written, nothing was said */
	if (!status && html_path) {
		int e = nc_compare_page(html_path, &c);

		if (e < 0) {
			snprintf(err, errsize, "%s: %s", html_path, strerror(-e));
			status = -1;
		}
	}
	if (!status && out)
		write_text(out, &c);
	free(c.rows);
	return status ? status : (int)nc_verdict_diffs(&c);
}
