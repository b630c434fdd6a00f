/* Numbers from text, strictly: the whole word is the decimal number, in
 * range, finite.  "nan", "1e999", "0x10", "5s", "", " 5" and "-1" for an
 * unsigned are all refused.  Return 0, or -EINVAL (not a number) / -ERANGE (out of range). */
#ifndef NC_STRNUM_H
#define NC_STRNUM_H

int nc_parse_ulong(const char *text, unsigned long min, unsigned long max,
		   unsigned long *out);
int nc_parse_long(const char *text, long min, long max, long *out);
int nc_parse_double(const char *text, double min, double max, double *out);

#endif
