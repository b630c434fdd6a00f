/* A check body run in netconform-musl, its engine calls served here. */
#ifndef NC_MUSL_SERVE_H
#define NC_MUSL_SERVE_H

struct nc_test;
struct nc_case_ctx;

/* In a test's worker: runs ctx's body in netconform-musl, inside this
 * sandbox, its records going to record_fd, serving its engine calls until
 * it ends.  Its wait status, or -errno when it could not be started. */
int nc_musl_run(const struct nc_test *test, const struct nc_case_ctx *ctx, int record_fd);
/* Opens netconform-musl for the runs to come, before any check is confined:
 * a body in a user namespace of its own may not pass a 0700 directory on
 * the way to it (a checkout under /root), but it can exec what is open. */
int nc_musl_open(void);

#endif
