/* The C library the checks run against: glibc (this program), or musl
 * (netconform-musl, the same suite/ built with musl-gcc -static). */
#ifndef NC_LIBC_H
#define NC_LIBC_H

#include <stddef.h>

struct nc_run;
struct nc_test;
struct nc_case_ctx;

enum nc_libc { NC_LIBC_GLIBC, NC_LIBC_MUSL };

/* "glibc" or "musl": 0, or -EINVAL. */
int nc_libc_parse(const char *name, enum nc_libc *out);
const char *nc_libc_name(enum nc_libc libc);
/* "musl 1.2.3" (recorded when netconform-musl was built), or -ENOENT with
 * what is missing: the package musl-tools, or the program. */
int nc_musl_status(char *text, size_t size);
/* The environment block: "libc" names the C library the checks ran on. */
void nc_libc_env(struct nc_run *run, enum nc_libc libc);
/* In a test's worker: runs ctx's body in netconform-musl, inside this
 * sandbox, its records going to record_fd, serving its engine calls until
 * it ends.  Its wait status, or -errno when it could not be started. */
int nc_musl_run(const struct nc_test *test, const struct nc_case_ctx *ctx, int record_fd);

#endif
