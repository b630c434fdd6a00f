/* index.html's parts (reports/html*.c, reports/ladder.c) and the small
 * writers they share.  Private to reports/. */
#ifndef NC_REPORT_PAGE_H
#define NC_REPORT_PAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"
#include "writer.h"

struct page {
	struct nc_xml x;
	const struct nc_run *run;
	size_t counts[NC_N_VERDICTS];
	const char **areas;		/* first-appearance order */
	size_t n_areas;
	const char **stray_clauses;	/* named by checks, not in the catalog */
	size_t n_stray;
};

/* What each verdict means, for tiles and tooltips; the bad news first. */
extern const char *const page_verdict_meanings[NC_N_VERDICTS];
extern const enum nc_verdict page_verdict_order[NC_N_VERDICTS];

void page_open(struct page *p, const char *name, const char *class);
void page_close(struct page *p);
/* Closes, then a newline: a readable page source. */
void page_close_block(struct page *p);
void page_text(struct page *p, const char *name, const char *class, const char *text);
void page_verdict_class(struct page *p, const char *prefix, enum nc_verdict verdict);
void page_badge(struct page *p, enum nc_verdict verdict);
/* An id (or href "#...") from free text: no spaces, no escapes. */
void page_id_attr(struct page *p, const char *attr, const char *prefix, const char *text);
void page_duration(double seconds, char *buf, size_t size);
void page_width(struct page *p, size_t part, size_t whole);
struct page_column {
	const char *class, *title;
};
/* <table class=class><thead>the columns</thead>, left open. */
void page_table_start(struct page *p, const char *class, const struct page_column *columns,
		      size_t n);
void page_clause_link(struct page *p, const char *clause);
bool page_names_clause(const struct nc_result *r, const char *clause);
bool page_is_checked(const struct nc_run *run, const char *clause);
int page_init(struct page *p, const struct nc_run *run);
void page_free(struct page *p);

/* reports/html_assets.c: the page's CSS after style.c's, and its script. */
extern const char page_css[];
extern const char page_js[];

/* reports/ladder.c: the packets of a check, a ladder per connection. */
void page_ladders(struct page *p, const struct nc_result *r);
/* Whether an observed key is a connection's ISN, which the ladder shows. */
bool page_is_isn_key(const char *key);
/* reports/html_checks.c: the problems first, then every area's checks. */
void page_problems(struct page *p);
void page_areas(struct page *p);

#endif
