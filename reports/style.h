/* What the pages (index.html, compare.html, matrix.html) share: the
 * verdict palette, type, tiles, badges and tables, and the page's head
 * (reports/style.c).  Private to reports/. */
#ifndef NC_REPORT_STYLE_H
#define NC_REPORT_STYLE_H

struct nc_xml;

extern const char nc_css_base[];

/* Opens a page: <html lang="en"> and its <head> (charset, viewport, title,
 * css then more_css (NULL: none)); <body> comes next. */
void nc_page_start(struct nc_xml *x, const char *title, const char *css, const char *more_css);

#endif
