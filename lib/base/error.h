/* lib/'s one error convention (lib/README.md): a call that fails returns a
 * negative errno and may leave a message saying what it was doing, which
 * the edge (the runner, NC_ASSERT_OK, the CLI) fetches and prints whole:
 * "scenarios/x.scn:5: address 198.18.0.1/24 on c: File exists".
 * The message is per thread and describes the last failure set on it. */
#ifndef NC_ERROR_H
#define NC_ERROR_H

/* Sets the message and returns err (a negative errno), so a failing path
 * reads `return nc_error(-EEXIST, "address %s on %s", addr, host);`.  The
 * errno's text is appended when the message is printed, not here. */
int nc_error(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The message of the last nc_error() of this thread, or "". */
const char *nc_error_message(void);
/* Forgets it (a caller about to try something new). */
void nc_error_clear(void);
/* "message: strerror(-err)", or just strerror when there is no message;
 * into buf, which is returned. */
const char *nc_error_text(int err, char *buf, unsigned size);

#endif
