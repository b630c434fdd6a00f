/* Engine calls from a program that has nothing but libc (the checks built
 * with musl, musl/): the glibc worker that built the check's world serves
 * them on the other end of a SOCK_SEQPACKET socketpair (harness/musl_serve.c).
 *
 * A message is a list of fields, each a 32-bit length and its bytes: a
 * request is the call's name (a string) and its arguments; a reply is the
 * status (>= 0 or -errno), the engine's nc_error() message, and the values.
 * Strings travel with their NUL; structs travel as they are in memory, the
 * two programs being built for one ABI (each struct asserts its size where
 * it is sent).  One request, one reply: the caller waits, and a call from
 * another thread waits for it (a lifter's nc_fault_wait_packets() holds
 * the engine up to its deadline).  So a child forked while a thread is in a
 * call would wait forever on its own first one, and a signal handler must
 * make none.
 */
#ifndef NC_REMOTE_H
#define NC_REMOTE_H

#include <stddef.h>
#include <string.h>

#define NC_REMOTE_MAX_FIELDS 64
#define NC_REMOTE_MSG_SIZE (128 * 1024)

struct nc_remote_field {
	void *data;
	size_t len;
};

/* A string with its NUL; NULL travels as an empty field. */
static inline struct nc_remote_field nc_remote_str(const char *s)
{
	return (struct nc_remote_field){ (void *)s, s ? strlen(s) + 1 : 0 };
}
#define NC_REMOTE_STR(s) nc_remote_str(s)
#define NC_REMOTE_VAL(v) ((struct nc_remote_field){ (void *)&(v), sizeof(v) })


/* --- The caller's side --- */

/* Where the calls go (-1: nowhere, every call fails with -ENOTCONN). */
void nc_remote_open(int fd);
/* Sends name(args), waits for the reply: its status, and up to n_values
 * values copied into values[i].data (at most values[i].len bytes; len is set
 * to the bytes received).  A failure sets the engine's message (nc_error()). */
int nc_remote_call(const char *name, const struct nc_remote_field *args, size_t n_args,
		   struct nc_remote_field *values, size_t n_values);

/* --- The engine's side --- */

/* Receives one request into buf: the number of fields (fields[0] the name),
 * 0 when the caller is gone, or -errno. */
int nc_remote_receive(int fd, char *buf, size_t size, struct nc_remote_field *fields,
		      size_t max);
/* Sends status, the message ("" when none) and values[0..n). */
int nc_remote_reply(int fd, int status, const char *message,
		    const struct nc_remote_field *values, size_t n);

#endif
