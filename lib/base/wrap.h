/* Text for a terminal of a given width: the recap, list, matrix.txt. */
#ifndef NC_WRAP_H
#define NC_WRAP_H

#include <stdio.h>

/* text in lines of at most width bytes (indent included), each of its
 * lines wrapped at a blank where it can be, never inside a UTF-8
 * character. */
void nc_print_wrapped(FILE *stream, const char *indent, const char *text, unsigned width);
/* The same, its first line after lead instead of indent. */
void nc_print_hanging(FILE *stream, const char *lead, const char *indent, const char *text,
		      unsigned width);

#endif
