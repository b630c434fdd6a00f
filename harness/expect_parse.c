/* The expectation file: known deviations of this OS/libc from the document,
 * each pinned to the observed values that make it up.
 *
 *   # comment
 *   connect.icmp_host_unreach.*  xfail  errno=EHOSTUNREACH syns=2 elapsed_ms=900..1500  why
 *   close.unread_data.*  xfail  peer_read="-1 ECONNRESET"  RST, not FIN
 *
 * A pin's key is the id of a check's value (struct nc_key), never its
 * label: the label may be reworded, the pin still holds. *
 * A pattern is a check id or a glob over ids (fnmatch); each must name a
 * known check, so a renamed check cannot silently lose its expectation.
 *
 *   include linux-kernel.txt
 *
 * reads another file's lines there, its name relative to the including
 * file's directory; each line keeps its own file:line, a file included
 * again from within itself is a cycle, refused.
 *
 * The skip file (run --skip-file) is the same without the verdict column
 * and the pins:
 *
 *   handshake.*  the lab's firewall drops SYNs to port 9 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <search.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "expect_parse.h"
#include "file.h"
#include "strnum.h"

struct line_parser {
	const char *path;
	int line;
	char *err;
	size_t errsize;
};

#define MAX_INCLUDE_DEPTH 16
/* A deviation is a few values; checking a line's keys for twins stays cheap. */
#define MAX_PINS 64

/* The files being read, outermost first, by their real paths: an include
 * of one of them is a cycle. */
struct include_stack {
	char *paths[MAX_INCLUDE_DEPTH];
	size_t depth;
	void *seen;	/* tsearch() tree of struct seen_pattern: a pattern twice */
};

struct seen_pattern {
	const char *pattern;	/* the item's own copy */
	size_t item;
};

static int seen_compare(const void *a, const void *b)
{
	return strcmp(((const struct seen_pattern *)a)->pattern,
		      ((const struct seen_pattern *)b)->pattern);
}

/* path's real path (a file named in text only: path itself), to free. */
static char *real_path(const char *path)
{
	char *real = realpath(path, NULL);

	if (!real && !(real = strdup(path)))
		abort();
	return real;
}

static int bad_line(const struct line_parser *lp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad_line(const struct line_parser *lp, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(lp->err, lp->errsize, "%s:%d: ", lp->path, lp->line);

	if (n >= 0 && (size_t)n < lp->errsize) {
		va_start(ap, fmt);
		vsnprintf(lp->err + n, lp->errsize - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const char *skip_blanks(const char *p)
{
	return p + strspn(p, " \t");
}

/* The end of the word at p (see read_word()), or NULL for an unterminated
 * quote; *len gets its length unescaped. */
static const char *word_end(const char *p, size_t *len)
{
	*len = 0;
	if (*p != '"') {
		*len = strcspn(p, " \t=\"");
		return p + *len;
	}
	for (p++; *p && *p != '"'; p++, ++*len)
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
	return *p == '"' ? p + 1 : NULL;
}

/* One word, bare (up to a blank, '=' or '"') or "quoted", unescaped into
 * *out (as long as the word: a line of many words stays linear).  Returns
 * the position after it, or NULL for an unterminated quote. */
static const char *read_word(const char *p, char **out)
{
	size_t len, n = 0;
	const char *end = word_end(p, &len);
	char *word;

	if (!end)
		return NULL;
	word = malloc(len + 1);
	if (!word)
		abort();
	if (*p == '"') {
		for (p++; n < len; p++)
			word[n++] = *p == '\\' && (p[1] == '"' || p[1] == '\\') ? *++p : *p;
	} else {
		memcpy(word, p, len);
		n = len;
	}
	word[n] = '\0';
	*out = word;
	return end;
}

/* Whether the word at p is KEY=VALUE: a quoted key, or '=' before a blank. */
static bool is_pin(const char *p)
{
	return *p == '"' || p[strcspn(p, " \t=")] == '=';
}

static int parse_range(const char *value, struct nc_pin *pin)
{
	const char *dots = strstr(value, "..");
	char lo[32];

	if (!dots || (size_t)(dots - value) >= sizeof(lo))
		return 0;
	memcpy(lo, value, (size_t)(dots - value));
	lo[dots - value] = '\0';
	if (nc_parse_long(lo, -1000000000L, 1000000000L, &pin->lo) < 0 ||
	    nc_parse_long(dots + 2, -1000000000L, 1000000000L, &pin->hi) < 0)
		return -1;
	pin->range = true;
	return pin->lo <= pin->hi ? 0 : -1;
}

/* KEY=VALUE words from *p on into e's pins; *p ends at the reason. */
static int parse_pins(const struct line_parser *lp, const char **p, struct nc_expectation *e)
{
	while (**p && is_pin(*p)) {
		struct nc_pin pin = { 0 };
		const char *q = read_word(*p, &pin.key);
		bool quoted;

		if (!q)
			return bad_line(lp, "unterminated quote in '%s'", *p);
		if (*q != '=' || !pin.key[0]) {
			free(pin.key);
			return bad_line(lp, "'%.*s' is no KEY=VALUE", (int)strcspn(*p, " \t"), *p);
		}
		if (!nc_key_is_id(pin.key)) {
			bad_line(lp, "'%s' is no id: a pin names a value by its id (letters, digits, "
				 "'_' and '.', as second_connect or state.client), not its label",
				 pin.key);
			free(pin.key);
			return -1;
		}
		if (!q[1] || strchr(" \t", q[1])) {
			free(pin.key);
			return bad_line(lp, "'%.*s' pins no value: want KEY=VALUE, KEY=LO..HI or "
					"KEY=\"TEXT\"", (int)(q + 1 - *p), *p);
		}
		quoted = q[1] == '"';
		q = read_word(q + 1, &pin.value);
		if (!q || (*q && !strchr(" \t", *q))) {
			int len = (int)strcspn(*p, " \t");

			free(pin.key);
			if (q)
				free(pin.value);
			return bad_line(lp, q ? "'%.*s' has text after its value" :
					"unterminated quote in '%.*s'", len, *p);
		}
		if (!quoted && parse_range(pin.value, &pin) < 0) {
			bad_line(lp, "'%s=%s': a range is LO..HI, integers, LO <= HI",
				 pin.key, pin.value);
			free(pin.key);
			free(pin.value);
			return -1;
		}
		if (e->n_pins == MAX_PINS) {
			bad_line(lp, "more than %d pins on one line", MAX_PINS);
			free(pin.key);
			free(pin.value);
			return -1;
		}
		for (size_t i = 0; i < e->n_pins; i++)
			if (strcmp(e->pins[i].key, pin.key) == 0) {
				bad_line(lp, "'%s' is pinned twice", pin.key);
				free(pin.key);
				free(pin.value);
				return -1;
			}
		e->pins = reallocarray(e->pins, e->n_pins + 1, sizeof(*e->pins));
		if (!e->pins)
			abort();
		e->pins[e->n_pins++] = pin;
		*p = skip_blanks(q);
	}
	return 0;
}

/* The text before a comment: '#' at the start or after a blank. */
static void cut_comment(char *line)
{
	for (char *p = line; *p; p++)
		if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
}

/* verdict_word: what the second column must say ("xfail"), then the pins;
 * NULL for a skip file, whose lines are a pattern and a reason. */
static int parse_line(const struct line_parser *lp, char *line, const char *verdict_word,
		      struct nc_expectation *e)
{
	const char *p;
	char *pattern, *verdict;
	size_t len;

	cut_comment(line);
	line[strcspn(line, "\r")] = '\0';
	len = strlen(line);
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		line[--len] = '\0';
	p = skip_blanks(line);
	if (!*p)
		return 0;
	pattern = strndup(p, strcspn(p, " \t"));
	if (!pattern)
		abort();
	e->pattern = pattern;
	p = skip_blanks(p + strlen(pattern));
	if (!verdict_word) {
		if (!*p)
			return bad_line(lp, "'%s' needs a reason: why it is skipped", pattern);
		goto reason;
	}
	if (!*p)
		return bad_line(lp, "'%s' has no verdict: want 'CHECK-ID xfail KEY=VALUE... "
				"REASON'", pattern);
	verdict = strndup(p, strcspn(p, " \t"));
	if (!verdict)
		abort();
	if (strcmp(verdict, verdict_word) != 0) {
		bad_line(lp, "unknown verdict '%s': only 'xfail' may be expected", verdict);
		free(verdict);
		return -1;
	}
	p = skip_blanks(p + strlen(verdict));
	free(verdict);
	if (parse_pins(lp, &p, e) < 0)
		return -1;
	if (!e->n_pins)
		return bad_line(lp, "'%s xfail' pins no value: want KEY=VALUE (the observed "
				"value that is the deviation) before the reason", pattern);
	if (!*p)
		return bad_line(lp, "'%s xfail' needs a reason: what Linux/glibc do instead",
				pattern);
reason:
	e->reason = strdup(p);
	if (!e->reason)
		abort();
	e->line = lp->line;
	return 1;
}

/* The whole file at path into *text (NUL-terminated); 0, or -errno. */
static int read_text(const char *path, char **text)
{
	return nc_file_read_text(path, NC_TEXT_INPUT_MAX, text);
}

static int parse_text(struct include_stack *stack, const char *path, const char *text,
		      const char *verdict_word, struct nc_expectations *out,
		      char *err, size_t errsize);

/* "include FILE" at lp: FILE's lines into out, FILE relative to lp's file. */
static int include_file(struct include_stack *stack, const struct line_parser *lp,
			const char *rest, const char *verdict_word, struct nc_expectations *out)
{
	const char *slash = strrchr(lp->path, '/'), *after;
	char *name = NULL, *path, *text, *real;
	struct stat st;
	int status;

	after = *rest ? read_word(rest, &name) : NULL;
	if (!after || !name[0]) {
		free(name);
		return bad_line(lp, "'include' needs a file name");
	}
	if (*skip_blanks(after)) {
		bad_line(lp, "'include %s' has text after the file name", name);
		free(name);
		return -1;
	}
	if (name[0] == '/' || !slash)
		path = strdup(name);
	else if (asprintf(&path, "%.*s/%s", (int)(slash - lp->path), lp->path, name) < 0)
		path = NULL;
	if (!path)
		abort();
	real = real_path(path);
	for (size_t i = 0; i < stack->depth; i++)
		if (strcmp(stack->paths[i], real) == 0) {
			bad_line(lp, "include '%s' makes a cycle: %s is being read already",
				 name, path);
			free(real);
			goto out;
		}
	free(real);
	if (stack->depth == MAX_INCLUDE_DEPTH) {
		bad_line(lp, "include '%s': more than %d files deep", name, MAX_INCLUDE_DEPTH);
		goto out;
	}
	/* An expectation file is never a secret: one that others may not read
	 * (/etc/shadow) is refused unread, so no error quotes a line of it. */
	status = stat(path, &st) < 0 ? -errno : 0;
	if (!status && !(st.st_mode & S_IROTH)) {
		bad_line(lp, "include '%s': %s is not readable by everyone: an expectation "
			 "file is public", name, path);
		goto out;
	}
	if (!status)
		status = read_text(path, &text);
	if (status < 0) {
		bad_line(lp, "include '%s': cannot read %s: %s", name, path,
			 nc_file_input_error(status));
		goto out;
	}
	status = parse_text(stack, path, text, verdict_word, out, lp->err, lp->errsize);
	free(text);
	free(path);
	free(name);
	return status < 0 ? -1 : 0;
out:
	free(path);
	free(name);
	return -1;
}

/* Whether line is "include FILE"; *rest then points at FILE. */
static bool is_include(const char *line, const char **rest)
{
	const char *p = skip_blanks(line);

	if (strncmp(p, "include", 7) != 0 || (p[7] && !strchr(" \t", p[7])))
		return false;
	*rest = skip_blanks(p + 7);
	return true;
}

/* text, the lines of path, appended to out. */
static int parse_text(struct include_stack *stack, const char *path, const char *text,
		      const char *verdict_word, struct nc_expectations *out,
		      char *err, size_t errsize)
{
	struct line_parser lp = { .path = path, .err = err, .errsize = errsize };
	char *copy = strdup(text), *line, where[4200];
	const char *rest;
	int status = 0;

	if (!copy)
		abort();
	stack->paths[stack->depth++] = real_path(path);
	/* strsep, not strtok: empty lines still count for line numbers. */
	for (char *next = copy; status >= 0 && (line = strsep(&next, "\n")) != NULL;) {
		struct nc_expectation e = { 0 };

		lp.line++;
		cut_comment(line);
		line[strcspn(line, "\r")] = '\0';
		if (is_include(line, &rest)) {
			char *end = line + strlen(line);

			while (end > rest && (end[-1] == ' ' || end[-1] == '\t'))
				*--end = '\0';
			status = include_file(stack, &lp, rest, verdict_word, out);
			continue;
		}
		status = parse_line(&lp, line, verdict_word, &e);
		if (status > 0) {
			struct seen_pattern key = { e.pattern, out->n_items }, *node;
			struct seen_pattern **found;

			node = malloc(sizeof(*node));
			if (!node)
				abort();
			*node = key;
			found = tsearch(node, &stack->seen, seen_compare);
			if (!found)
				abort();
			if (*found != node) {
				free(node);
				nc_expectation_where(&out->items[(*found)->item], path, where,
						     sizeof(where));
				status = bad_line(&lp, "'%s' is already expected %s",
						  e.pattern, where);
			}
		}
		if (status > 0 && !(e.path = strdup(path)))
			abort();
		if (status <= 0) {
			nc_expectation_clear(&e);
			continue;
		}
		/* by doubling: only this grows the array */
		if ((out->n_items & (out->n_items - 1)) == 0) {
			out->items = reallocarray(out->items, out->n_items ? 2 * out->n_items : 1,
						  sizeof(*out->items));
			if (!out->items)
				abort();
		}
		out->items[out->n_items++] = e;
	}
	free(stack->paths[--stack->depth]);
	free(copy);
	return status < 0 ? -1 : 0;
}

static int parse_lines(const char *path, const char *text, const char *verdict_word,
		       struct nc_expectations *out, char *err, size_t errsize)
{
	struct include_stack stack = { .depth = 0 };

	memset(out, 0, sizeof(*out));
	out->path = strdup(path);
	if (!out->path)
		abort();
	int status = parse_text(&stack, out->path, text, verdict_word, out, err, errsize);

	tdestroy(stack.seen, free);
	if (status < 0) {
		nc_expectations_free(out);
		return -1;
	}
	return 0;
}

int nc_expectations_parse(const char *path, const char *text,
			  struct nc_expectations *out, char *err, size_t errsize)
{
	return parse_lines(path, text, "xfail", out, err, errsize);
}

int nc_skip_file_parse(const char *path, const char *text, struct nc_expectations *out,
		       char *err, size_t errsize)
{
	return parse_lines(path, text, NULL, out, err, errsize);
}

static int load(const char *path, const char *verdict_word, struct nc_expectations *out,
		char *err, size_t errsize)
{
	char *text;
	int status = read_text(path, &text);

	memset(out, 0, sizeof(*out));
	if (status < 0) {
		snprintf(err, errsize, "%s:%d: cannot read: %s", path, status == -EILSEQ,
			 nc_file_input_error(status));
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
