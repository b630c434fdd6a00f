/* One run's results: what the harness fills, what results.xml holds (the
 * canonical file), and what the JUnit and HTML writers read.  reports/ does
 * not depend on lib/: the clause catalog is copied in. */
#ifndef NC_RESULTS_H
#define NC_RESULTS_H

#include <stddef.h>
#include <stdio.h>

enum nc_verdict {
	NC_PASS, NC_FAIL, NC_XFAIL, NC_XPASS, NC_SKIP, NC_ERROR,
	NC_N_VERDICTS
};

const char *nc_verdict_name(enum nc_verdict verdict);
/* -1 for an unknown name. */
int nc_verdict_parse(const char *name);

struct nc_kv {
	char *key;
	char *value;
};

/* One packet of a check's sandbox, as lib/capture.c saw it: a TCP segment
 * or an ICMP error, once however many hosts' captures saw it. */
struct nc_packet {
	unsigned conn;		/* connection within the check, from 0 */
	int to_server;		/* 1: client -> server, 0: the other way */
	long long t_us;		/* since the capture started */
	char *src, *dst;	/* "198.18.0.1:40012", "[2001:db8::2]:9"; ICMP: "198.18.0.2" */
	char *flags;		/* "SYN", "SYN,ACK", "RST,ACK", "ICMP:host-unreach" */
	unsigned long seq, ack;	/* relative to each direction's ISN */
	unsigned len;		/* payload bytes */
	char *seen;		/* hosts whose capture saw it: "c,s", "lo" */
	char *dropped;		/* NULL, or where it was lost: "s:fault-1" */
};

struct nc_result {
	char *id;		/* "connect.refused.ipv4" */
	char *area;		/* "connect" */
	char *summary;
	char *file;		/* where the check is: "suite/connect.c" */
	int line;
	char **clauses;
	size_t n_clauses;
	enum nc_verdict outcome;	/* what happened: pass, fail, skip, error */
	enum nc_verdict verdict;	/* after the expectation file */
	char *message;		/* failures ("file:line: text", one per line),
				 * the skip or error reason; NULL on pass */
	char *reason;		/* the expectation's reason, or NULL */
	double seconds;
	struct nc_kv *expected;
	size_t n_expected;
	struct nc_kv *observed;
	size_t n_observed;
	struct nc_packet *packets;	/* checks of TCP states and connection errors */
	size_t n_packets;
};

struct nc_clause_row {
	char *id;
	char *section;
	char *zh;
	char *en;
};

struct nc_run {
	struct nc_kv *env;	/* kernel, libc, sandbox, netem, command, date, ... */
	size_t n_env;
	struct nc_result *results;
	size_t n_results;
	struct nc_clause_row *clauses;
	size_t n_clauses;
	double seconds;
	/* A run stopped by a signal (SIGINT, SIGTERM): results holds the
	 * checks that finished, n_not_run counts the others.  0 and 0 for a
	 * complete run. */
	int interrupted;
	size_t n_not_run;
};

/* "interrupted by SIGTERM: 3 of 12 checks not run" into buf; "" for a
 * complete run. */
const char *nc_run_incomplete_text(const struct nc_run *run, char *buf, size_t size);

/* Appenders that copy their strings; they abort on ENOMEM (a report
 * without memory is no report). */
void nc_kv_add(struct nc_kv **list, size_t *n, const char *key, const char *value);
struct nc_result *nc_run_add_result(struct nc_run *run);
void nc_run_free(struct nc_run *run);
/* Appends a copy of packet (its strings copied; NULL dropped kept NULL). */
void nc_result_add_packet(struct nc_result *result, const struct nc_packet *packet);
/* Parses lib/capture.c's record "conn dir t_us src dst flags seq ack len
 * seen dropped" (dir ">" or "<", dropped "-" for none) into result.
 * Returns 0, or -EINVAL for a malformed record. */
int nc_result_add_packet_record(struct nc_result *result, const char *record);
/* Appends a clause id to a check; result->clauses stays NULL-terminated. */
void nc_result_add_clause(struct nc_result *result, const char *clause);
/* Appends a row to the run's clause catalog; section, zh, en may be NULL. */
struct nc_clause_row *nc_run_add_clause(struct nc_run *run, const char *id,
					const char *section, const char *zh,
					const char *en);

/* Writers return 0 or -errno, and write to PATH.tmp then rename, so a
 * failed write leaves nothing half-written. */
int nc_results_write(const struct nc_run *run, const char *path);
int nc_junit_write(const struct nc_run *run, const char *path);
int nc_html_write(const struct nc_run *run, const char *path);

/* The comparison of two runs (reports/compare.c): a text summary to out
 * and a comparison page at html_path (NULL: none).  Returns the number of
 * checks whose verdict differs, or -errno when the page cannot be written. */
int nc_compare_write(const struct nc_run *a, const char *a_path,
		     const struct nc_run *b, const char *b_path,
		     FILE *out, const char *html_path);

/* Reads results.xml.  Returns 0, or -1 with "path:line: what is wrong" in err. */
int nc_results_read(const char *path, struct nc_run *out, char *err, size_t errsize);
/* The same from memory; name stands for the file in messages. */
int nc_results_parse(const char *name, const char *data, size_t len, struct nc_run *out,
		     char *err, size_t errsize);

#endif
