/* A check body run in netconform-musl, its engine calls served here. */
#ifndef NC_MUSL_SERVE_H
#define NC_MUSL_SERVE_H

struct nc_test;
struct nc_case_ctx;

/* In a test's worker: runs ctx's body in netconform-musl, inside this
 * sandbox, its records going to record_fd, serving its engine calls until
 * it ends.  Its wait status, or -errno when it could not be started. */
int nc_musl_run(const struct nc_test *test, const struct nc_case_ctx *ctx, int record_fd);

#endif
