/* The expectation file: known deviations of this OS/libc from the document.
 *
 *   # comment
 *   listen.backlog_default  xfail  Linux's somaxconn is 4096 since 5.4, not 128
 *
 * A pattern is a check id or a glob over ids (fnmatch); each must name a
 * known check, so a renamed check cannot silently lose its expectation.
 *
 * The skip file (run --skip-file) is the same without the verdict column:
 *
 *   handshake.*  the lab's firewall drops SYNs to port 9 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char *next_field(char **cursor)
{
	char *p = *cursor, *start;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return NULL;
	start = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = '\0';
	*cursor = p;
	return start;
}

static int add_item(struct nc_expectations *out, const char *pattern,
		    const char *reason, int line)
{
	struct nc_expectation *items;

	items = realloc(out->items, (out->n_items + 1) * sizeof(*items));
	if (!items)
		return -ENOMEM;
	out->items = items;
	items[out->n_items] = (struct nc_expectation){
		.pattern = strdup(pattern), .reason = strdup(reason), .line = line,
	};
	if (!items[out->n_items].pattern || !items[out->n_items].reason)
		return -ENOMEM;
	out->n_items++;
	return 0;
}

/* verdict: the one word the file's second column must say ("xfail"), or
 * NULL for a file without that column. */
static int parse_lines(const char *path, const char *text, const char *verdict_word,
		       struct nc_expectations *out, char *err, size_t errsize)
{
	char *copy = strdup(text), *line;
	int lineno = 0, status = 0;

	memset(out, 0, sizeof(*out));
	out->path = strdup(path);
	if (!copy || !out->path) {
		snprintf(err, errsize, "%s: out of memory", path);
		free(copy);
		return -1;
	}
	/* strsep, not strtok: empty lines still count for line numbers. */
	for (char *rest = copy; (line = strsep(&rest, "\n")) != NULL;) {
		char *cursor, *pattern, *verdict, *reason;

		lineno++;
		line[strcspn(line, "#")] = '\0';
		cursor = line;
		pattern = next_field(&cursor);
		if (!pattern)
			continue;
		verdict = verdict_word ? next_field(&cursor) : NULL;
		if (verdict_word && !verdict) {
			snprintf(err, errsize, "%s:%d: '%s' has no verdict: want 'CHECK-ID xfail REASON'",
				 path, lineno, pattern);
			status = -1;
			break;
		}
		if (verdict_word && strcmp(verdict, verdict_word) != 0) {
			snprintf(err, errsize, "%s:%d: unknown verdict '%s': only 'xfail' may be expected",
				 path, lineno, verdict);
			status = -1;
			break;
		}
		reason = cursor + strspn(cursor, " \t");
		reason[strcspn(reason, "\r")] = '\0';
		while (*reason && (reason[strlen(reason) - 1] == ' ' ||
				   reason[strlen(reason) - 1] == '\t'))
			reason[strlen(reason) - 1] = '\0';
		if (!*reason) {
			snprintf(err, errsize, "%s:%d: '%s%s%s' needs a reason: %s", path, lineno,
				 pattern, verdict_word ? " " : "", verdict_word ? verdict_word : "",
				 verdict_word ? "the observed behaviour" : "why it is skipped");
			status = -1;
			break;
		}
		for (size_t i = 0; i < out->n_items; i++)
			if (strcmp(out->items[i].pattern, pattern) == 0) {
				snprintf(err, errsize, "%s:%d: '%s' is already expected at line %d",
					 path, lineno, pattern, out->items[i].line);
				status = -1;
				break;
			}
		if (status < 0)
			break;
		if (add_item(out, pattern, reason, lineno) < 0) {
			snprintf(err, errsize, "%s:%d: out of memory", path, lineno);
			status = -1;
			break;
		}
	}
	free(copy);
	if (status < 0)
		nc_expectations_free(out);
	return status;
}

int nc_expectations_parse(const char *path, const char *text,
			  struct nc_expectations *out, char *err, size_t errsize)
{
	return parse_lines(path, text, "xfail", out, err, errsize);
}

static int load(const char *path, const char *verdict_word, struct nc_expectations *out,
		char *err, size_t errsize)
{
	FILE *file = fopen(path, "r");
	char *text = NULL;
	size_t size = 0;
	int status;

	memset(out, 0, sizeof(*out));
	if (!file) {
		snprintf(err, errsize, "%s:0: cannot read: %s", path, strerror(errno));
		return -1;
	}
	FILE *mem = open_memstream(&text, &size);
	char buf[4096];
	size_t n;

	if (!mem) {
		fclose(file);
		snprintf(err, errsize, "%s:0: out of memory", path);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), file)) > 0)
		fwrite(buf, 1, n, mem);
	status = ferror(file) ? -errno : 0;
	fclose(file);
	fclose(mem);
	if (status < 0) {
		snprintf(err, errsize, "%s:0: cannot read: %s", path, strerror(-status));
		free(text);
		return -1;
	}
	if (memchr(text, '\0', size)) {
		snprintf(err, errsize, "%s:1: not a text file", path);
		free(text);
		return -1;
	}
	status = parse_lines(path, text, verdict_word, out, err, errsize);
	free(text);
	return status;
}

int nc_expectations_load(const char *path, struct nc_expectations *out,
			 char *err, size_t errsize)
{
	return load(path, "xfail", out, err, errsize);
}

int nc_skip_file_load(const char *path, struct nc_expectations *out, char *err, size_t errsize)
{
	return load(path, NULL, out, err, errsize);
}

int nc_expectations_validate(const struct nc_expectations *exp,
			     const char *const *ids, size_t n_ids,
			     char *err, size_t errsize)
{
	for (size_t i = 0; i < exp->n_items; i++) {
		bool found = false;

		for (size_t j = 0; j < n_ids && !found; j++)
			found = fnmatch(exp->items[i].pattern, ids[j], 0) == 0;
		if (!found) {
			snprintf(err, errsize, "%s:%d: '%s' names no known check",
				 exp->path, exp->items[i].line, exp->items[i].pattern);
			return -1;
		}
	}
	return 0;
}

const char *nc_expectations_reason(const struct nc_expectations *exp, const char *id)
{
	if (!exp)
		return NULL;
	for (size_t i = 0; i < exp->n_items; i++)
		if (fnmatch(exp->items[i].pattern, id, 0) == 0)
			return exp->items[i].reason;
	return NULL;
}

void nc_expectations_free(struct nc_expectations *exp)
{
	for (size_t i = 0; i < exp->n_items; i++) {
		free(exp->items[i].pattern);
		free(exp->items[i].reason);
	}
	free(exp->items);
	free(exp->path);
	memset(exp, 0, sizeof(*exp));
}
