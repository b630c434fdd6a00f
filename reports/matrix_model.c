/* The conformance matrix's model (matrix_model.h): rows matched by check id
 * across the platforms' runs, grouped under each check's first clause in the
 * catalog's order; matrix.c writes it as text, matrix_html.c as a page.
 *
 * A row differs when, among the platforms that ran, a check is missing on
 * one, or its verdict or the value shown differs beyond run-to-run noise
 * (compare.c's: a port, an ISN, a few ms; such a value is shown, never
 * counted).
 * The value shown is picked by pick_key(). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "matrix_model.h"
#include "id_set.h"
#include "compare.h"
#include "writer.h"

const char *const mx_state_names[MX_N_STATES] = {
	[MX_NOT_RUN] = "-", [MX_UNTESTED] = "untested", [MX_HOLDS] = "holds",
	[MX_DEVIATES] = "deviates", [MX_FAILS] = "fails",
};

/* Values worth a column when the check expects none of what it observed;
 * "state" is an older results file's. */
static const char *const preferred_keys[] = {
	"errno", "eai", "h_errno", "elapsed_ms", "state.client", "state.server", "state",
	"count", "dns_queries",
};

const char *mx_kernel(const struct nc_platform *p, char *buf, size_t size)
{
	const char *kernel = p->run ? nc_env_get(p->run, "kernel") : NULL;
	const char *arch;

	if (!kernel)
		return "kernel ?";
	arch = strrchr(kernel, ' ');	/* "Linux 6.1.0-56-amd64 x86_64" */
	snprintf(buf, size, "%.*s", (int)(arch && arch != strchr(kernel, ' ')
					  ? arch - kernel : (long)strlen(kernel)), kernel);
	return buf;
}

const char *mx_libc(const struct nc_platform *p)
{
	const char *libc = p->run ? nc_env_get(p->run, "libc") : NULL;

	return libc ? libc : "libc ?";
}

const char *mx_machine(const struct nc_platform *p, char *buf, size_t size)
{
	const char *vm = p->run ? nc_env_get(p->run, "vm") : NULL;
	const char *accel = vm ? strchr(vm, ' ') : NULL;	/* "qemu-system-x86_64 TCG, ..." */

	if (p->run && nc_env_get(p->run, "runtime"))	/* "gVisor runsc ..." */
		return "gVisor runsc";
	if (!vm)
		return "host";
	snprintf(buf, size, "QEMU %.*s", accel ? (int)strcspn(accel + 1, ", ") : 1,
		 accel ? accel + 1 : "?");
	return buf;
}

size_t nc_matrix_problems(const struct nc_platform *p)
{
	size_t n = 0;

	for (size_t i = 0; p->run && i < p->run->n_results; i++)
		n += nc_verdict_is_problem(p->run->results[i].verdict);
	return n;
}

void mx_cell_text(const struct mx_row *row, const struct nc_result *r, char *buf, size_t size)
{
	const char *value = r && row->key ? nc_kv_value(r->observed, r->n_observed, row->key) : NULL;

	if (!r)
		snprintf(buf, size, "absent");
	else if (value && r->verdict != NC_SKIP)
		snprintf(buf, size, "%s %s", nc_verdict_name(r->verdict), value);
	else
		snprintf(buf, size, "%s", nc_verdict_name(r->verdict));
}

const char *mx_group_title(bool differing)
{
	return differing ? "Differ across platforms" : "Same on every platform";
}

size_t mx_group_size(const struct mx *m, bool differing)
{
	return differing ? m->n_differ : m->n_rows - m->n_differ;
}

bool mx_clause_in_group(const struct mx *m, const struct mx_clause *cl, bool differing)
{
	for (size_t i = 0; i < cl->n_rows; i++)
		if (m->rows[cl->rows[i]].differs == differing)
			return true;
	return false;
}

/* --- building --- */

static bool observed_anywhere(const struct mx *m, const struct mx_row *row, const char *key)
{
	for (size_t p = 0; p < m->n_platforms; p++) {
		const struct nc_result *r = row->cells[p];

		if (r && nc_kv_value(r->observed, r->n_observed, key))
			return true;
	}
	return false;
}

/* Whether key's observed values differ across platforms beyond noise, or
 * (across == false) whether some platform observed other than expected. */
static bool key_varies(const struct mx *m, const struct mx_row *row, const char *key,
		       bool across)
{
	const char *first = NULL;
	bool noise;

	for (size_t p = 0; p < m->n_platforms; p++) {
		const struct nc_result *r = row->cells[p];
		const char *v = r ? nc_kv_value(r->observed, r->n_observed, key) : NULL;

		if (!v)
			continue;
		if (!across && nc_value_differs(key, v, nc_kv_value(r->expected, r->n_expected, key),
						&noise))
			return true;
		if (across && first && nc_value_differs(key, v, first, &noise))
			return true;
		first = v;
	}
	return false;
}

/* The value a cell shows: an errno, EAI code, time, state or count the
 * check expects; else the first expected value that differs across
 * platforms, or from what was expected; else the first expected that
 * some platform observed; else one of those observed anyway. */
static const char *pick_key(const struct mx *m, const struct mx_row *row)
{
	const struct nc_result *r = NULL;

	for (size_t p = 0; p < m->n_platforms && !r; p++)
		r = row->cells[p];
	for (size_t i = 0; i < sizeof(preferred_keys) / sizeof(preferred_keys[0]); i++)
		if (nc_kv_value(r->expected, r->n_expected, preferred_keys[i]) &&
		    observed_anywhere(m, row, preferred_keys[i]))
			return preferred_keys[i];
	for (int across = 1; across >= 0; across--)
		for (size_t i = 0; i < r->n_expected; i++)
			if (key_varies(m, row, r->expected[i].key, across))
				return r->expected[i].key;
	for (size_t i = 0; i < r->n_expected; i++)
		if (observed_anywhere(m, row, r->expected[i].key))
			return r->expected[i].key;
	for (size_t i = 0; i < sizeof(preferred_keys) / sizeof(preferred_keys[0]); i++)
		if (observed_anywhere(m, row, preferred_keys[i]))
			return preferred_keys[i];
	return NULL;
}

/* A value counts when it cannot vary by nature: its key is not volatile
 * (elapsed_ms...) and what the check expects of it is the same everywhere
 * (an expectation computed at run time, such as an ephemeral port, is not). */
static bool value_counts(const struct mx *m, const struct mx_row *row)
{
	const char *expected = NULL;
	bool seen = false;

	if (!row->key || nc_key_is_noise(row->key))
		return false;
	for (size_t p = 0; p < m->n_platforms; p++) {
		const struct nc_result *r = row->cells[p];
		const char *e = r ? nc_kv_value(r->expected, r->n_expected, row->key) : NULL;

		if (!e)
			continue;
		if (seen && strcmp(e, expected) != 0)
			return false;
		expected = e;
		seen = true;
	}
	return true;
}

static bool row_differs(const struct mx *m, const struct mx_row *row)
{
	const struct nc_result *first = NULL;
	bool seen = false, noise, values = value_counts(m, row);

	for (size_t p = 0; p < m->n_platforms; p++) {
		const struct nc_result *r = row->cells[p];

		if (!m->platforms[p].run)
			continue;
		if (!seen) {
			first = r;
			seen = true;
			continue;
		}
		if (!r != !first)
			return true;
		if (!r)
			continue;
		if (r->verdict != first->verdict)
			return true;
		if (values && nc_value_differs(row->key,
					       nc_kv_value(r->observed, r->n_observed, row->key),
					       nc_kv_value(first->observed, first->n_observed, row->key),
					       &noise))
			return true;
	}
	return false;
}

/* Clauses by id (NULL, the checks that name none, as ""). */
static struct mx_clause *find_clause(struct mx *m, const struct nc_id_set *ids, const char *id)
{
	const size_t *at = nc_id_set_get(ids, id ? id : "");

	return at ? &m->clauses[*at] : NULL;
}

static struct mx_clause *add_clause(struct mx *m, struct nc_id_set *ids, const char *id,
				    const char *section, const char *en)
{
	struct mx_clause *c = &m->clauses[m->n_clauses];

	nc_id_set_put(ids, id ? id : "", m->n_clauses++);
	c->id = id;
	c->section = section;
	c->en = en;
	c->states = calloc(m->n_platforms, sizeof(*c->states));
	return c->states ? c : NULL;
}

/* Row i under clause c; its list grows by doubling. */
static int clause_add_row(struct mx_clause *c, size_t i)
{
	if ((c->n_rows & (c->n_rows - 1)) == 0) {
		size_t *rows = reallocarray(c->rows, c->n_rows ? 2 * c->n_rows : 1,
					    sizeof(*rows));

		if (!rows)
			return -ENOMEM;
		c->rows = rows;
	}
	c->rows[c->n_rows++] = i;
	return 0;
}

static enum mx_state verdict_state(enum nc_verdict v)
{
	switch (v) {
	case NC_PASS: return MX_HOLDS;
	case NC_XFAIL: return MX_DEVIATES;
	case NC_SKIP: return MX_UNTESTED;
	default: return MX_FAILS;
	}
}

/* Each clause on each platform, over every check that names it there. */
static void clause_states(struct mx *m, const struct nc_id_set *ids)
{
	for (size_t p = 0; p < m->n_platforms; p++) {
		const struct nc_run *run = m->platforms[p].run;

		for (size_t c = 0; c < m->n_clauses; c++)
			m->clauses[c].states[p] = run ? MX_UNTESTED : MX_NOT_RUN;
		for (size_t i = 0; run && i < run->n_results; i++) {
			const struct nc_result *r = &run->results[i];

			for (size_t k = 0; k < r->n_clauses; k++) {
				struct mx_clause *c = find_clause(m, ids, r->clauses[k]);
				enum mx_state s = verdict_state(r->verdict);

				if (c && s > c->states[p])
					c->states[p] = s;
			}
		}
	}
	for (size_t c = 0; c < m->n_clauses; c++) {
		struct mx_clause *cl = &m->clauses[c];
		enum mx_state first = MX_NOT_RUN;

		for (size_t p = 0; p < m->n_platforms; p++) {
			if (cl->states[p] == MX_NOT_RUN)
				continue;
			if (first != MX_NOT_RUN && cl->states[p] != first)
				cl->differs = true;
			first = cl->states[p];
		}
	}
}

static void free_sets(struct nc_id_set *sets, size_t n)
{
	for (size_t p = 0; sets && p <= n; p++)
		nc_id_set_free(&sets[p]);
	free(sets);
}

int mx_build(struct mx *m, const struct nc_platform *platforms, size_t n)
{
	const struct nc_run *catalog = NULL;
	struct nc_id_set *sets = NULL, clause_ids = { 0 };
	size_t total = 0, n_clauses;

	memset(m, 0, sizeof(*m));
	m->platforms = platforms;
	m->n_platforms = n;
	for (size_t p = 0; p < n; p++)
		if (platforms[p].run) {
			total += platforms[p].run->n_results;
			if (!catalog || !catalog->n_clauses)
				catalog = platforms[p].run;
		}
	m->rows = calloc(total + 1, sizeof(*m->rows));
	sets = calloc(n + 1, sizeof(*sets));
	if (!m->rows || !sets || nc_id_set_init(&sets[n], total) < 0)
		goto nomem;
	/* each platform's checks by id (the reader refused an id twice), and
	 * the rows made so far */
	for (size_t p = 0; p < n; p++) {
		const struct nc_run *run = platforms[p].run;

		if (nc_id_set_init(&sets[p], run ? run->n_results : 0) < 0)
			goto nomem;
		for (size_t i = 0; run && i < run->n_results; i++)
			nc_id_set_put(&sets[p], run->results[i].id, i);
	}
	for (size_t p = 0; p < n; p++)
		for (size_t i = 0; platforms[p].run && i < platforms[p].run->n_results; i++) {
			const struct nc_result *r = &platforms[p].run->results[i];
			struct mx_row *row;

			if (nc_id_set_put(&sets[n], r->id, m->n_rows))
				continue;
			row = &m->rows[m->n_rows++];
			row->id = r->id;
			row->summary = r->summary;
			row->cells = calloc(n, sizeof(*row->cells));
			if (!row->cells)
				goto nomem;
			for (size_t q = 0; q < n; q++) {
				const size_t *at = platforms[q].run ? nc_id_set_get(&sets[q], r->id)
								    : NULL;

				row->cells[q] = at ? &platforms[q].run->results[*at] : NULL;
			}
		}
	free_sets(sets, n);
	sets = NULL;

	/* the catalog's clauses, any others the checks name, then none */
	n_clauses = (catalog ? catalog->n_clauses : 0) + m->n_rows + 1;
	m->clauses = calloc(n_clauses, sizeof(*m->clauses));
	if (!m->clauses || nc_id_set_init(&clause_ids, n_clauses) < 0)
		goto nomem;
	for (size_t i = 0; catalog && i < catalog->n_clauses; i++)
		if (!find_clause(m, &clause_ids, catalog->clauses[i].id) &&
		    !add_clause(m, &clause_ids, catalog->clauses[i].id,
				catalog->clauses[i].section, catalog->clauses[i].en))
			goto nomem;
	for (size_t i = 0; i < m->n_rows; i++) {
		struct mx_row *row = &m->rows[i];
		const struct nc_result *r = NULL;
		struct mx_clause *c;

		for (size_t p = 0; p < n && !r; p++)
			r = row->cells[p];
		c = find_clause(m, &clause_ids, r->n_clauses ? r->clauses[0] : NULL);
		if (!c)
			c = add_clause(m, &clause_ids, r->n_clauses ? r->clauses[0] : NULL, NULL, NULL);
		if (!c || clause_add_row(c, i) < 0)
			goto nomem;
		row->key = pick_key(m, row);
		row->differs = row_differs(m, row);
		c->differs |= row->differs;
		m->n_differ += row->differs;
	}
	clause_states(m, &clause_ids);
	nc_id_set_free(&clause_ids);
	return 0;
nomem:
	free_sets(sets, n);
	nc_id_set_free(&clause_ids);
	return -ENOMEM;
}

void mx_release(struct mx *m)
{
	for (size_t i = 0; i < m->n_rows; i++)
		free(m->rows[i].cells);
	for (size_t i = 0; i < m->n_clauses; i++) {
		free(m->clauses[i].states);
		free(m->clauses[i].rows);
	}
	free(m->rows);
	free(m->clauses);
}
