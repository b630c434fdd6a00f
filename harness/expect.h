/* Pinned deviations once read: one line of an expectation file
 * (expect_parse.h reads them), its pins, and the lookups the run makes. */
#ifndef NC_EXPECT_H
#define NC_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

struct nc_run;

struct nc_pin {
	char *key;
	char *value;			/* as written: "EHOSTUNREACH", "900..1500" */
	bool range;			/* value is LO..HI */
	long lo, hi;
};

struct nc_expectation {
	char *pattern;			/* a check id, or a glob over ids */
	struct nc_pin *pins;
	size_t n_pins;
	char *reason;
	char *path;			/* the file of the line: this one or an included one */
	int line;
};

struct nc_expectations {
	char *path;			/* the file named to the run */
	struct nc_expectation *items;
	size_t n_items;
};

/* Every pattern must name at least one of ids, and no id two patterns:
 * else -1 and the message. */
int nc_expectations_validate(const struct nc_expectations *exp,
			     const char *const *ids, size_t n_ids,
			     char *err, size_t errsize);
/* The line that expects id to deviate, or NULL. */
const struct nc_expectation *nc_expectations_find(const struct nc_expectations *exp,
						  const char *id);
/* The reason of the line naming id, or NULL (the skip file's use). */
const char *nc_expectations_reason(const struct nc_expectations *exp, const char *id);
/* Whether observed is what pin pins. */
bool nc_pin_matches(const struct nc_pin *pin, const char *observed);
/* "KEY=VALUE ...", quoted where needed, into buf. */
void nc_pins_format(const struct nc_expectation *e, char *buf, size_t size);
/* The lines of exp (NULL: none) into run's deviations, for the reports. */
void nc_expectations_to_run(const struct nc_expectations *exp, struct nc_run *run);
/* Where e stands, seen from path: "at line 3" in path, "at other.txt:3" else. */
void nc_expectation_where(const struct nc_expectation *e, const char *path,
			  char *buf, size_t size);
void nc_expectation_clear(struct nc_expectation *e);
void nc_expectations_free(struct nc_expectations *exp);

#endif
