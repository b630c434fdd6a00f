/* Pinned deviations once read (expect_parse.c reads them): which line
 * expects a check, whether a pin holds for what was observed, and the
 * pins written back as text. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "results.h"
#include "strnum.h"

static void pins_free(struct nc_pin *pins, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pins[i].key);
		free(pins[i].value);
	}
	free(pins);
}

void nc_expectation_clear(struct nc_expectation *e)
{
	free(e->pattern);
	pins_free(e->pins, e->n_pins);
	free(e->reason);
	free(e->path);
}

/* "at line 3" in the same file, "at linux-kernel.txt:3" in another. */
void nc_expectation_where(const struct nc_expectation *e, const char *path,
			  char *buf, size_t size)
{
	if (strcmp(e->path, path) == 0)
		snprintf(buf, size, "at line %d", e->line);
	else
		snprintf(buf, size, "at %s:%d", e->path, e->line);
}

int nc_expectations_validate(const struct nc_expectations *exp,
			     const char *const *ids, size_t n_ids,
			     char *err, size_t errsize)
{
	for (size_t i = 0; i < exp->n_items; i++) {
		const struct nc_expectation *e = &exp->items[i];
		bool found = false;

		for (size_t j = 0; j < n_ids; j++) {
			if (fnmatch(e->pattern, ids[j], 0) != 0)
				continue;
			found = true;
			/* one line per deviation: a check expected twice is ambiguous */
			for (size_t k = 0; k < i; k++)
				if (fnmatch(exp->items[k].pattern, ids[j], 0) == 0) {
					char where[4200];

					nc_expectation_where(&exp->items[k], e->path, where, sizeof(where));
					snprintf(err, errsize, "%s:%d: '%s' is already expected "
						 "%s ('%s')", e->path, e->line, ids[j], where,
						 exp->items[k].pattern);
					return -1;
				}
		}
		if (!found) {
			snprintf(err, errsize, "%s:%d: '%s' names no known check",
				 e->path, e->line, e->pattern);
			return -1;
		}
	}
	return 0;
}

const struct nc_expectation *nc_expectations_find(const struct nc_expectations *exp,
						  const char *id)
{
	if (!exp)
		return NULL;
	for (size_t i = 0; i < exp->n_items; i++)
		if (fnmatch(exp->items[i].pattern, id, 0) == 0)
			return &exp->items[i];
	return NULL;
}

const char *nc_expectations_reason(const struct nc_expectations *exp, const char *id)
{
	const struct nc_expectation *e = nc_expectations_find(exp, id);

	return e ? e->reason : NULL;
}

bool nc_pin_matches(const struct nc_pin *pin, const char *observed)
{
	long value;

	if (!observed)
		return false;
	if (!pin->range) {
		/* "A|B": a platform that gives either (a race in its kernel) */
		size_t n = strlen(observed);

		for (const char *alt = pin->value;;) {
			const char *bar = strchr(alt, '|');
			size_t len = bar ? (size_t)(bar - alt) : strlen(alt);

			if (len == n && strncmp(alt, observed, n) == 0)
				return true;
			if (!bar)
				return false;
			alt = bar + 1;
		}
	}
	return nc_parse_long(observed, -1000000000L, 1000000000L, &value) == 0 &&
	       value >= pin->lo && value <= pin->hi;
}

/* word, quoted when a bare word would not read back as it */
static size_t format_word(char *buf, size_t size, const char *word)
{
	size_t n = 0;
	bool quote = !*word || word[strcspn(word, " \t=\"\\#")];

#define PUT(c) do { if (n + 1 < size) buf[n] = (c); n++; } while (0)
	if (quote)
		PUT('"');
	for (const char *p = word; *p; p++) {
		if (quote && (*p == '"' || *p == '\\'))
			PUT('\\');
		PUT(*p);
	}
	if (quote)
		PUT('"');
#undef PUT
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}

void nc_pins_format(const struct nc_expectation *e, char *buf, size_t size)
{
	size_t used = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < e->n_pins && used + 1 < size; i++) {
		if (i)
			buf[used++] = ' ';
		used += format_word(buf + used, size - used, e->pins[i].key);
		if (used + 1 >= size)
			break;
		buf[used++] = '=';
		used += e->pins[i].range ?
			(size_t)snprintf(buf + used, size - used, "%s", e->pins[i].value) :
			format_word(buf + used, size - used, e->pins[i].value);
	}
	if (used >= size && size)
		buf[size - 1] = '\0';
}

void nc_expectations_to_run(const struct nc_expectations *exp, struct nc_run *run)
{
	char where[4096];

	for (size_t i = 0; exp && i < exp->n_items; i++) {
		const struct nc_expectation *e = &exp->items[i];
		struct nc_deviation_row *row;

		snprintf(where, sizeof(where), "%s:%d", e->path, e->line);
		row = nc_run_add_deviation(run, e->pattern, where, e->reason);
		for (size_t k = 0; k < e->n_pins; k++)
			nc_kv_add(&row->pins, &row->n_pins, e->pins[k].key, e->pins[k].value);
	}
}

void nc_expectations_free(struct nc_expectations *exp)
{
	for (size_t i = 0; i < exp->n_items; i++)
		nc_expectation_clear(&exp->items[i]);
	free(exp->items);
	free(exp->path);
	memset(exp, 0, sizeof(*exp));
}
