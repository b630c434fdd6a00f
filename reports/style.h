/* What index.html and compare.html look like alike: the verdict palette,
 * type, tiles, badges and tables (reports/style.c).  Private to reports/. */
#ifndef NC_REPORT_STYLE_H
#define NC_REPORT_STYLE_H

extern const char nc_css_base[];

#endif
