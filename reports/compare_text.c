/* netconform compare A B's answer: compare.html (compare_page.c), then the
 * text: verdict changes first, with B's message and, when the outcome is
 * the same, the expectations named as the cause; then checks in one run
 * only (listed when both runs selected the same checks, summed up when
 * not); then observed values that differ, noise only on request. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"

static void text_env(FILE *out, const char *label, const char *path, const struct nc_run *run)
{
	fprintf(out, "%s: %s (%s; %s; %s)\n", label, path, nc_env_or(run, "kernel", "kernel ?"),
		nc_env_or(run, "libc", "libc ?"), nc_env_or(run, "date", "date ?"));
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
	if (row->a->raw == b->raw)
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
	int status = nc_compare_runs(&c, err, errsize);

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
