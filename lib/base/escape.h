/* Text from files and the command line shown to a person: a control byte
 * (a newline, ESC, BEL) would break one line into two or drive the
 * terminal, so each is written as a C escape (\n, \e, \a, \x01). */
#ifndef NC_ESCAPE_H
#define NC_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* len bytes of text to out, control bytes escaped (a tab is kept). */
void nc_escape_put(FILE *out, const char *text, size_t len);
/* text escaped, then a newline: one line on stderr whatever text holds. */
void nc_escape_line(FILE *out, const char *text);
/* text escaped into buf (cut to size, NUL-terminated); returns buf. */
const char *nc_escape(const char *text, char *buf, size_t size);

#endif
