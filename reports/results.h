/* One run's results: what the harness fills, what results.xml holds (the
 * canonical file), and what the JUnit and HTML writers read.  reports/ does
 * not depend on lib/: the clause catalog is copied in. */
#ifndef NC_RESULTS_H
#define NC_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum nc_verdict {
	NC_PASS, NC_FAIL, NC_XFAIL, NC_XPASS, NC_SKIP, NC_ERROR,
	NC_N_VERDICTS
};

const char *nc_verdict_name(enum nc_verdict verdict);
/* A verdict that fails the run (exit status 1): fail, error, xpass. */
bool nc_verdict_is_problem(enum nc_verdict verdict);
/* -1 for an unknown name. */
int nc_verdict_parse(const char *name);

/* What a check did, as its records said, before any expectation file: the
 * raw result, from which harness/verdict.c makes the verdict.  results.xml
 * writes it as outcome="pass|fail|skip|error". */
enum nc_raw {
	NC_RAW_PASSED, NC_RAW_FAILED, NC_RAW_SKIPPED, NC_RAW_ERROR,
	NC_N_RAWS
};

/* "pass", "fail", "skip", "error": its name in results.xml. */
const char *nc_raw_name(enum nc_raw raw);
/* -1 for an unknown name. */
int nc_raw_parse(const char *name);

struct nc_kv {
	char *key;
	char *value;
	/* A check's value (lib/check/check.h struct nc_key): key is its id,
	 * label what people read (NULL: the key), side the end a TCP state was
	 * read from ("client", "server"; NULL: none). */
	char *label;
	char *side;
};

/* One packet of a check's sandbox, as lib/observe/capture.c saw it: a TCP segment
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

/* One assertion a check made, as its record said (lib/check/record.h). */
struct nc_assert_row {
	char *key;		/* the id: "errno", "elapsed_ms", "second_connect" */
	char *expected;		/* what the document says: "ECONNREFUSED", ">= 2900" */
	char *observed;
	int passed;
	char *role;		/* "expect", "fatal" or "setup" */
	char *file;
	int line;
	char *message;
	char *label;		/* "second connect() (the socket is unusable)"; NULL: the key */
	char *side;		/* a TCP state's end: "client", "server"; NULL: none */
};

/* A known deviation, one line of the expectation file: the checks it
 * names, the observed values that make it up, what Linux/glibc do. */
struct nc_deviation_row {
	char *pattern;		/* a check id, or a glob over ids */
	char *where;		/* "expectations/linux.txt:12" */
	char *reason;
	struct nc_kv *pins;	/* key = value or LO..HI, as pinned */
	size_t n_pins;
};

struct nc_result {
	char *id;		/* "connect.refused.ipv4" */
	char *area;		/* "connect" */
	char *summary;
	char *file;		/* where the check is: "suite/connect.c" */
	int line;
	char **clauses;
	size_t n_clauses;
	enum nc_raw raw;	/* what happened, before the expectation file */
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
	struct nc_assert_row *asserts;	/* every assertion, in order */
	size_t n_asserts;
	char *deviation;	/* the pattern of the deviation expected of it, or NULL */
	char *beyond;		/* what it checks that the document does not state */
	bool timed_out;		/* an error: killed at its deadline */
};

/* A check the plan held that never ran (the run was stopped early): its id,
 * area, and place among the results had every check run. */
struct nc_unrun {
	char *id;
	char *area;
	size_t at;
};

struct nc_clause_row {
	char *id;
	char *section;
	char *zh;
	char *en;
	int n_checks;		/* checks of the suite naming it, run or not; -1: unknown */
	char *axes;		/* the axes that apply: "mode form", or NULL */
	char *covers;		/* the values its checks cover: "mode:blocking form:v4", or NULL */
};

struct nc_run {
	struct nc_kv *env;	/* kernel, libc, sandbox, netem, command, date, ... */
	size_t n_env;
	struct nc_result *results;
	size_t n_results;
	struct nc_clause_row *clauses;
	size_t n_clauses;
	struct nc_deviation_row *deviations;	/* the expectation file's lines */
	size_t n_deviations;
	double seconds;
	/* A run stopped by a signal (SIGINT, SIGTERM): results holds the
	 * checks that finished, n_not_run counts the others.  0 and 0 for a
	 * complete run. */
	int interrupted;
	size_t n_not_run;
	/* The checks not run, in plan order (in memory only: results.xml
	 * keeps their count, not-run=). */
	struct nc_unrun *unrun;
	size_t n_unrun;
};

/* The first value of key in the run's environment, or NULL; or fallback. */
const char *nc_env_get(const struct nc_run *run, const char *key);
const char *nc_env_or(const struct nc_run *run, const char *key, const char *fallback);
/* "interrupted by SIGTERM: 3 of 12 checks not run" into buf; "" for a
 * complete run. */
const char *nc_run_incomplete_text(const struct nc_run *run, char *buf, size_t size);
/* "netconform run --filter 'ID'" (and --libc musl on musl): what reruns
 * the check id of run, for the terminal, the page and JUnit. */
const char *nc_rerun_command(const struct nc_run *run, const char *id, char *buf, size_t size);
void nc_run_add_unrun(struct nc_run *run, const char *id, const char *area, size_t at);

/* Appenders that copy their strings; they abort on ENOMEM (a report
 * without memory is no report), as nc_copy_or_abort() does. */
char *nc_copy_or_abort(const char *s);
void nc_kv_add(struct nc_kv **list, size_t *n, const char *key, const char *value);
/* The value of key replaced, or the pair added: the pair. */
struct nc_kv *nc_kv_set(struct nc_kv **list, size_t *n, const char *key, const char *value);
/* kv's label and side (NULL, empty or a label that is the key: none). */
void nc_kv_describe(struct nc_kv *kv, const char *label, const char *side);
/* A copy of text, or NULL when it is NULL, empty or the same as same (a
 * label that is its key says nothing). */
char *nc_copy_if_new(const char *text, const char *same);
struct nc_result *nc_run_add_result(struct nc_run *run);
/* What a result holds (not the result itself). */
void nc_result_free(struct nc_result *r);
void nc_run_free(struct nc_run *run);
/* Appends a copy of packet (its strings copied; NULL dropped kept NULL). */
void nc_result_add_packet(struct nc_result *result, const struct nc_packet *packet);
/* Appends a clause id to a check; result->clauses stays NULL-terminated. */
void nc_result_add_clause(struct nc_result *result, const char *clause);
/* Appends a row to the run's clause catalog; section, zh, en may be NULL. */
struct nc_clause_row *nc_run_add_clause(struct nc_run *run, const char *id,
					const char *section, const char *zh,
					const char *en);

/* Copies of an assertion and a deviation, as the appenders above. */
void nc_result_add_assert(struct nc_result *result, const struct nc_assert_row *row);
struct nc_deviation_row *nc_run_add_deviation(struct nc_run *run, const char *pattern,
					      const char *where, const char *reason);

/* What the checks of a run say of a clause, the worst first.  Checks
 * beyond the document say nothing of any clause. */
enum nc_clause_status {
	NC_CLAUSE_CONTRADICTED,	/* a check of it fails */
	NC_CLAUSE_DEVIATES,	/* a known, pinned deviation (xfail) */
	NC_CLAUSE_ERROR,	/* its checks could not run to the end */
	NC_CLAUSE_HOLDS,	/* its checks pass */
	NC_CLAUSE_SKIPPED,	/* its checks were all skipped */
	NC_CLAUSE_NOT_SELECTED,	/* it has checks, none of them ran */
	NC_CLAUSE_UNCHECKED,	/* no check names it */
	NC_N_CLAUSE_STATUSES
};
enum nc_clause_status nc_clause_status(const struct nc_run *run, const struct nc_clause_row *row);
/* "holds", "deviates", ...; and a phrase for people. */
const char *nc_clause_status_name(enum nc_clause_status status);
const char *nc_clause_status_meaning(enum nc_clause_status status);

/* Writers return 0 or -errno, and write to PATH.tmp then rename, so a
 * failed write leaves nothing half-written. */
int nc_results_write(const struct nc_run *run, const char *path);
int nc_junit_write(const struct nc_run *run, const char *path);
int nc_html_write(const struct nc_run *run, const char *path);
int nc_ktap_write(const struct nc_run *run, const char *path);
/* The KTAP of nc_ktap_write, to a stream. */
void nc_ktap_print(const struct nc_run *run, FILE *out);
/* The same, a result at a time (run --format ktap): begin with every
 * planned check's area in plan order, then next() for each in that order
 * (r NULL: it never ran), then end(). */
struct nc_ktap {
	FILE *out;
	const char *const *areas;
	size_t n, next;
	size_t area_first, area_number;
	bool area_failed, area_all_skipped;
	size_t counts[NC_N_VERDICTS];
};
void nc_ktap_begin(struct nc_ktap *k, FILE *out, const char *const *areas, size_t n);
void nc_ktap_next(struct nc_ktap *k, const char *id, const struct nc_result *r);
void nc_ktap_end(struct nc_ktap *k, const struct nc_run *run);

/* The comparison of two runs (reports/compare.c): the page at html_path
 * (NULL: none), then a text summary to out; run-to-run noise (ports,
 * descriptors, ISNs, a few ms) only when show_noise.  Returns the number of
 * checks whose verdict differs, counting those in one run only when both
 * runs selected the same checks; or -1 with "file[:line]: what is wrong" in
 * err (duplicate check ids, a page that cannot be written). */
int nc_compare_write(const struct nc_run *a, const char *a_path,
		     const struct nc_run *b, const char *b_path, bool show_noise,
		     FILE *out, const char *html_path, char *err, size_t errsize);

/* Reads results.xml.  Returns 0, or -1 with "path:line: what is wrong" in err. */
int nc_results_read(const char *path, struct nc_run *out, char *err, size_t errsize);
/* The same from memory; name stands for the file in messages. */
int nc_results_parse(const char *name, const char *data, size_t len, struct nc_run *out,
		     char *err, size_t errsize);

#endif
