/* Small files read and written whole: /proc and /proc/sys entries, files
 * staged for the resolver world, scenario files.  Return 0 (or a length)
 * or -errno. */
#ifndef NC_FILE_H
#define NC_FILE_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Writes text in one write() (a /proc file takes one write as one value):
 * to an existing file, or, with create, to a file made or emptied first
 * (mode 0644).  A short write is -EIO. */
int nc_file_write(const char *path, const char *text, bool create);
/* Reads at most size - 1 bytes into buf, NUL-terminated; returns the length. */
ssize_t nc_file_read(const char *path, char *buf, size_t size);
/* An input of netconform (an expectation, skip, scenario or results file)
 * whole, in a buffer of its own (free() it), NUL-terminated: a regular file
 * only (a FIFO, /dev/zero or a directory would never end or not be one:
 * NC_ENOTREG, -EISDIR) of at most cap bytes (-EFBIG), never waiting. */
#define NC_ENOTREG (-ESPIPE)
int nc_file_read_input(const char *path, size_t cap, char **data, size_t *len);
/* The same as a string: -EILSEQ when it holds a NUL byte (not a text file). */
int nc_file_read_text(const char *path, size_t cap, char **text);
/* What an error of the two says to a user: "not a regular file ...". */
const char *nc_file_input_error(int err);

/* The caps: far above any real file, far below what would hurt. */
#define NC_TEXT_INPUT_MAX	(1u << 20)	/* expectation, skip, scenario files */
#define NC_RESULTS_INPUT_MAX	(256u << 20)	/* results.xml: 50k checks are ~95 MB */

#endif
