/* The conformance matrix (matrix.h) as text of 80 columns: the platforms,
 * then the rows that differ first, each with its value on every platform
 * (the platforms that agree on one line); the page is matrix_html.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "matrix_html.h"
#include "matrix_model.h"
#include "wrap.h"
#include "writer.h"

#define MAX_CELL 30
#define WIDTH 80	/* matrix.txt fits a terminal of 80 columns */

/* One line per platform: name, kernel, libc and machine, then its counts
 * under it. */
static void text_platforms(FILE *out, const struct mx *m)
{
	char kernel[128], machine[64], lead[64], text[512];

	for (size_t p = 0; p < m->n_platforms; p++) {
		const struct nc_platform *pl = &m->platforms[p];
		size_t counts[NC_N_VERDICTS] = { 0 };

		snprintf(lead, sizeof(lead), "  %-16s ", pl->name);
		if (!pl->run) {
			snprintf(text, sizeof(text), "%s: %s", pl->status, pl->reason);
			nc_print_hanging(out, lead, "                   ", text, WIDTH);
			continue;
		}
		for (size_t i = 0; i < pl->run->n_results; i++)
			counts[pl->run->results[i].verdict]++;
		snprintf(text, sizeof(text), "%s, %s, %s\n%zu pass, %zu fail, %zu xfail, %zu xpass, "
			 "%zu skip, %zu error", mx_kernel(pl, kernel, sizeof(kernel)), mx_libc(pl),
			 mx_machine(pl, machine, sizeof(machine)), counts[NC_PASS],
			 counts[NC_FAIL], counts[NC_XFAIL], counts[NC_XPASS], counts[NC_SKIP],
			 counts[NC_ERROR]);
		nc_print_hanging(out, lead, "                   ", text, WIDTH);
	}
}

/* name and each platform's text: "name  value" when every platform that
 * ran says the same, else a line per value with the platforms that say it,
 *
 *   getaddrinfo.servfail
 *       xfail EAI_AGAIN   host-glibc, vm-6.1-glibc
 *       xfail EAI_FAIL    vm-6.12-glibc
 */
static void text_values(FILE *out, const struct mx *m, const char *name, const char *indent,
			const char *const *texts)
{
	char lead[256], hang[256], names[1024];
	size_t first = m->n_platforms, kinds = 0;
	int width = 0;

	for (size_t p = 0; p < m->n_platforms; p++) {
		size_t q = 0;

		while (q < p && strcmp(texts[q], texts[p]) != 0)
			q++;
		if (q == p && m->platforms[p].run) {
			kinds++;
			first = first < p ? first : p;
		}
		if ((int)strlen(texts[p]) > width)
			width = (int)strlen(texts[p]);
	}
	width = width > MAX_CELL ? MAX_CELL : width;
	if (kinds <= 1) {
		snprintf(lead, sizeof(lead), "%s%s  ", indent, name);
		nc_print_hanging(out, lead, "      ", first < m->n_platforms ? texts[first] : "-",
				 WIDTH);
		return;
	}
	fprintf(out, "%s%s\n", indent, name);
	for (size_t p = 0; p < m->n_platforms; p++) {
		size_t q = 0, used = 0;

		while (q < p && strcmp(texts[q], texts[p]) != 0)
			q++;
		if (q < p || !m->platforms[p].run)
			continue;	/* said with the first that says it; or did not run */
		for (q = p; q < m->n_platforms; q++)
			if (strcmp(texts[q], texts[p]) == 0 && used < sizeof(names))
				used += (size_t)snprintf(names + used, sizeof(names) - used,
							 "%s%s", used ? ", " : "",
							 m->platforms[q].name);
		snprintf(lead, sizeof(lead), "%s    %-*.*s  ", indent, width, width, texts[p]);
		snprintf(hang, sizeof(hang), "%*s", (int)strlen(lead), "");
		nc_print_hanging(out, lead, hang, names, WIDTH);
	}
}

static void text_group(FILE *out, const struct mx *m, bool differing, char (*cells)[256],
		       const char **texts)
{
	fprintf(out, "\n%s (%zu checks)\n", mx_group_title(differing),
		mx_group_size(m, differing));
	for (size_t c = 0; c < m->n_clauses; c++) {
		const struct mx_clause *cl = &m->clauses[c];

		if (!mx_clause_in_group(m, cl, differing))
			continue;
		for (size_t p = 0; p < m->n_platforms; p++)
			texts[p] = mx_state_names[cl->states[p]];
		text_values(out, m, cl->id ? cl->id : "(no clause)", "", texts);
		for (size_t i = 0; i < cl->n_rows; i++) {
			const struct mx_row *row = &m->rows[cl->rows[i]];

			if (row->differs != differing)
				continue;
			for (size_t p = 0; p < m->n_platforms; p++) {
				if (m->platforms[p].run)
					mx_cell_text(row, row->cells[p], cells[p], sizeof(cells[p]));
				else
					snprintf(cells[p], sizeof(cells[p]), "-");
				texts[p] = cells[p];
			}
			text_values(out, m, row->id, "  ", texts);
		}
	}
}

static int write_text(FILE *out, const struct mx *m)
{
	char (*cells)[256] = calloc(m->n_platforms + 1, sizeof(*cells));
	const char **texts = calloc(m->n_platforms + 1, sizeof(*texts));

	if (!cells || !texts) {
		free(cells);
		free(texts);
		return -ENOMEM;
	}
	fprintf(out, "netconform matrix: %zu platforms, %zu checks, %zu differ across platforms\n",
		m->n_platforms, m->n_rows, m->n_differ);
	text_platforms(out, m);
	for (int differing = 1; differing >= 0; differing--)
		if (mx_group_size(m, differing))
			text_group(out, m, differing, cells, texts);
	free(cells);
	free(texts);
	return 0;
}

int nc_matrix_write(const struct nc_platform *platforms, size_t n, FILE *out,
		    const char *html_path)
{
	struct mx m;
	int err = mx_build(&m, platforms, n);

	if (!err && out)
		err = write_text(out, &m);
	if (!err && html_path)
		err = mx_write_page(&m, html_path);
	if (!err)
		err = (int)m.n_differ;
	mx_release(&m);
	return err;
}
