/* The conformance matrix (matrix.h) as a text table, one column per
 * platform, the rows that differ first; the page is matrix_html.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "matrix_html.h"
#include "matrix_model.h"
#include "writer.h"

#define MAX_CELL 30

static int id_width(const struct mx *m)
{
	size_t width = 12;

	for (size_t i = 0; i < m->n_rows; i++)
		if (strlen(m->rows[i].id) + 2 > width)
			width = strlen(m->rows[i].id) + 2;
	return (int)(width > 60 ? 60 : width);
}

/* A column as wide as its name and its widest cell, up to MAX_CELL. */
static void cell_widths(const struct mx *m, int *widths)
{
	char cell[256];

	for (size_t p = 0; p < m->n_platforms; p++) {
		size_t width = strlen(m->platforms[p].name);

		if (width < strlen("deviates"))
			width = strlen("deviates");
		for (size_t i = 0; m->platforms[p].run && i < m->n_rows; i++) {
			mx_cell_text(&m->rows[i], m->rows[i].cells[p], cell, sizeof(cell));
			if (strlen(cell) > width)
				width = strlen(cell);
		}
		widths[p] = (int)(width > MAX_CELL ? MAX_CELL : width);
	}
}

/* A line's cells, padded to their widths, with no trailing blanks. */
static void put_cells(FILE *out, const struct mx *m, const int *widths, const char *first,
		      int first_width, const char *const *cells)
{
	int pad = fprintf(out, "%.*s", first_width, first);

	for (size_t p = 0; p < m->n_platforms; p++) {
		fprintf(out, "%*s %.*s", pad < first_width ? first_width - pad : 0, "",
			widths[p], cells[p]);
		pad = (int)strlen(cells[p]);
		first_width = widths[p];
	}
	fputc('\n', out);
}

static void text_platforms(FILE *out, const struct mx *m)
{
	char kernel[128], machine[64];

	for (size_t p = 0; p < m->n_platforms; p++) {
		const struct nc_platform *pl = &m->platforms[p];
		size_t counts[NC_N_VERDICTS] = { 0 };

		if (!pl->run) {
			fprintf(out, "  %-20s %s: %s\n", pl->name, pl->status, pl->reason);
			continue;
		}
		for (size_t i = 0; i < pl->run->n_results; i++)
			counts[pl->run->results[i].verdict]++;
		fprintf(out, "  %-20s %s, %s, %s: %zu pass, %zu fail, %zu xfail, %zu xpass, "
			"%zu skip, %zu error\n", pl->name, mx_kernel(pl, kernel, sizeof(kernel)),
			mx_libc(pl), mx_machine(pl, machine, sizeof(machine)), counts[NC_PASS],
			counts[NC_FAIL], counts[NC_XFAIL], counts[NC_XPASS], counts[NC_SKIP],
			counts[NC_ERROR]);
	}
}

static void text_group(FILE *out, const struct mx *m, bool differing, int width,
		       const int *widths, char (*cells)[256], const char **texts)
{
	fprintf(out, "\n%s (%zu checks)\n", mx_group_title(differing),
		mx_group_size(m, differing));
	for (size_t p = 0; p < m->n_platforms; p++)
		texts[p] = m->platforms[p].name;
	put_cells(out, m, widths, "", width, texts);
	for (size_t c = 0; c < m->n_clauses; c++) {
		const struct mx_clause *cl = &m->clauses[c];

		if (!mx_clause_in_group(m, cl, differing))
			continue;
		for (size_t p = 0; p < m->n_platforms; p++)
			texts[p] = mx_state_names[cl->states[p]];
		put_cells(out, m, widths, cl->id ? cl->id : "(no clause)", width, texts);
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
			snprintf(cells[m->n_platforms], sizeof(cells[0]), "  %s", row->id);
			put_cells(out, m, widths, cells[m->n_platforms], width, texts);
		}
	}
}

static int write_text(FILE *out, const struct mx *m)
{
	int width = id_width(m);
	int *widths = calloc(m->n_platforms + 1, sizeof(*widths));
	char (*cells)[256] = calloc(m->n_platforms + 1, sizeof(*cells));
	const char **texts = calloc(m->n_platforms + 1, sizeof(*texts));

	if (!widths || !cells || !texts) {
		free(widths);
		free(cells);
		free(texts);
		return -ENOMEM;
	}
	cell_widths(m, widths);
	fprintf(out, "netconform matrix: %zu platforms, %zu checks, %zu differ across platforms\n",
		m->n_platforms, m->n_rows, m->n_differ);
	text_platforms(out, m);
	for (int differing = 1; differing >= 0; differing--)
		if (mx_group_size(m, differing))
			text_group(out, m, differing, width, widths, cells, texts);
	free(widths);
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
