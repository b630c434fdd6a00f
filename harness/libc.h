/* The C library the checks run against: glibc (this program), or musl
 * (netconform-musl, the same suite/ built with musl-gcc -static). */
#ifndef NC_LIBC_H
#define NC_LIBC_H

#include <stddef.h>

struct nc_run;

enum nc_libc { NC_LIBC_GLIBC, NC_LIBC_MUSL };

/* "glibc" or "musl": 0, or -EINVAL. */
int nc_libc_parse(const char *name, enum nc_libc *out);
/* "musl 1.2.3" (recorded when netconform-musl was built), or -ENOENT with
 * what is missing: the package musl-tools, or the program.  A version
 * once read is kept for the rest of the process. */
int nc_musl_status(char *text, size_t size);
/* The expectation file of a run on libc unless --expect names one: in dir,
 * linux-LIBC-VERSION.txt for the version that runs ("linux-musl-1.2.5.txt")
 * when there is one, else the C library's own (linux.txt for glibc,
 * linux-musl.txt); into buf, or NULL when neither exists. */
const char *nc_libc_expectations(enum nc_libc libc, const char *dir, char *buf, size_t size);
/* The environment block: "libc" names the C library the checks ran on. */
void nc_libc_env(struct nc_run *run, enum nc_libc libc);
/* The path of netconform-musl, next to this program, into path: 0 when
 * it can be run, else -errno. */
int nc_musl_program(char *path, size_t size);

#endif
