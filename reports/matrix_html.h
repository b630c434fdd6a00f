/* The conformance matrix as a self-contained page, matrix.html. */
#ifndef NC_MATRIX_HTML_H
#define NC_MATRIX_HTML_H

struct mx;

/* Writes m's page to path: 0, or -errno. */
int mx_write_page(const struct mx *m, const char *path);

#endif
