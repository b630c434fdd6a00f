/* Small files read and written whole: /proc and /proc/sys entries, files
 * staged for the resolver world, scenario files.  Return 0 (or a length)
 * or -errno. */
#ifndef NC_FILE_H
#define NC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Writes text in one write() (a /proc file takes one write as one value):
 * to an existing file, or, with create, to a file made or emptied first
 * (mode 0644).  A short write is -EIO. */
int nc_file_write(const char *path, const char *text, bool create);
/* Reads at most size - 1 bytes into buf, NUL-terminated; returns the length. */
ssize_t nc_file_read(const char *path, char *buf, size_t size);
/* The whole file as a string of its own (free() it): -EINVAL when it holds
 * a NUL byte (not a text file). */
int nc_file_read_text(const char *path, char **text);

#endif
