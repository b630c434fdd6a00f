/* The record protocol: everything a running check tells the runner, one
 * record per line, written with one write() each so that the records of a
 * check that crashes stay whole.  libc only: the check side and the runner
 * both use this module, the runner's side turns records into reports.
 *
 * A line is the kind's name and its fields, separated by tabs; a tab, a
 * newline and a backslash inside a field are written \t, \n and \\.
 *
 *   observed   id label side value       a value the check saw
 *   expected   id label side value       what the document says it should be
 *   assert     pass|fail expect|fatal|setup id label side expected observed file line message
 *                                        one assertion, passed or failed
 *
 * id is what expectation files pin, label what people read (the id again
 * when it needs no words), side the end of the connection a TCP state was
 * read from ("client", "server"; empty for other values).
 *   skip       reason                    a capability is missing; the check ended
 *   error      message                   the check could not run (harness fault)
 *   packet     conn dir t_us src dst flags seq ack len seen dropped
 *                                        one packet of the check's sandbox
 *   output     text                      the tail of what the check printed
 *   exit       text                      how the check's process ended, if not cleanly
 *   done       assertions                the check returned, having asserted that many
 */
#ifndef NC_RECORD_H
#define NC_RECORD_H

#include <stdbool.h>
#include <stddef.h>

enum nc_record_kind {
	NC_RECORD_OBSERVED,
	NC_RECORD_EXPECTED,
	NC_RECORD_ASSERT,
	NC_RECORD_SKIP,
	NC_RECORD_ERROR,
	NC_RECORD_PACKET,
	NC_RECORD_OUTPUT,
	NC_RECORD_EXIT,
	NC_RECORD_DONE,
	NC_RECORD_N_KINDS
};

/* What an assertion is for: "expect" goes on after a failure, "fatal" ends
 * the check, "setup" is a fatal step that prepares the provocation (a failed
 * setup step is no finding about the system under test). */
enum nc_assert_role { NC_ASSERT_EXPECT, NC_ASSERT_FATAL, NC_ASSERT_SETUP };

/* One assertion, pass or fail.  key is the id of what was asserted, stable
 * within the check ("errno", "elapsed_ms", "state.client"), so that a known
 * deviation can be pinned as "this key failed with this observed value". */
struct nc_assertion {
	bool passed;
	enum nc_assert_role role;
	const char *key;
	const char *expected;	/* "ECONNREFUSED", ">= 2900", "40000..40009" */
	const char *observed;	/* "EHOSTUNREACH", "1042" */
	const char *file;
	int line;
	const char *message;	/* "connect(198.18.0.2:9) = -1 EHOSTUNREACH, expected ..." */
	const char *label;	/* for people: "state(client)"; NULL or "": the key */
	const char *side;	/* a TCP state's end: "client", "server"; NULL or "": none */
};

/* One packet, as lib/observe/capture.c saw it (reports/results.h: struct
 * nc_packet has the meaning of each field). */
struct nc_record_packet {
	unsigned conn;
	bool to_server;		/* dir ">" */
	long long t_us;
	const char *src, *dst, *flags;
	unsigned long seq, ack;
	unsigned len;
	const char *seen;
	const char *dropped;	/* NULL when it was not lost ("-" on the wire) */
};

struct nc_record {
	enum nc_record_kind kind;
	union {
		struct {
			const char *key, *label, *side, *value;
		} value;				/* observed, expected (as nc_assertion) */
		struct nc_assertion assertion;		/* assert */
		struct nc_record_packet packet;		/* packet */
		const char *text;			/* skip, error, output, exit */
		unsigned assertions;			/* done */
	};
};


/* The record as one line ending in '\n' in buf (fields cut short to fit,
 * never an escape cut in two).  Returns its length. */
size_t nc_record_format(const struct nc_record *record, char *buf, size_t size);

/* Parses one line (without its '\n') in place: out's strings point into it.
 * Returns 0, or -EINVAL for a malformed or torn line. */
int nc_record_parse(char *line, struct nc_record *out);

/* --- The check side: where records go --- */

/* The descriptor records are written to (-1: none, records are dropped). */
void nc_record_open(int fd);
/* Writes record there in one write().  Returns 0 or -errno. */
int nc_record_emit(const struct nc_record *record);
/* Shorthands for the records of one text field. */
int nc_record_text(enum nc_record_kind kind, const char *text);

#endif
