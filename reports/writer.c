/* The plumbing under the report writers: see writer.h. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "writer.h"

/* On a memory buffer the writer fails only when it cannot allocate (or on
 * misuse, which the tests catch): ENOMEM is the honest errno. */
#define XML_WRITE_ERR (-ENOMEM)

int nc_xml_open(struct nc_xml *x, enum nc_xml_kind kind)
{
	x->err = 0;
	x->writer = NULL;
	x->buf = xmlBufferCreate();
	if (!x->buf)
		return -ENOMEM;
	x->writer = xmlNewTextWriterMemory(x->buf, 0);
	if (!x->writer) {
		xmlBufferFree(x->buf);
		x->buf = NULL;
		return -ENOMEM;
	}
	if (kind == NC_XML_DOCUMENT) {
		if (xmlTextWriterSetIndent(x->writer, 1) < 0 ||
		    xmlTextWriterSetIndentString(x->writer, BAD_CAST "  ") < 0 ||
		    xmlTextWriterStartDocument(x->writer, NULL, "UTF-8", NULL) < 0)
			x->err = XML_WRITE_ERR;
	}
	return 0;
}

static void nc_xml_discard(struct nc_xml *x)
{
	if (x->writer)
		xmlFreeTextWriter(x->writer);
	if (x->buf)
		xmlBufferFree(x->buf);
	x->writer = NULL;
	x->buf = NULL;
}

static void check(struct nc_xml *x, int ret)
{
	if (ret < 0 && !x->err)
		x->err = XML_WRITE_ERR;
}

/* Length of the XML 1.0 character at s that we are willing to write, or 0.
 * C0 and C1 controls (but tab and newlines) are out: XML forbids most of
 * them, HTML flags them all. */
static size_t char_len(const unsigned char *s)
{
	uint32_t cp;
	size_t len;

	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f ? 1 :
		       s[0] == '\t' || s[0] == '\n' || s[0] == '\r' ? 1 : 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return len;
}

bool nc_xml_writes_as_is(const char *text)
{
	size_t len;

	for (const unsigned char *p = (const unsigned char *)text; *p; p += len) {
		len = char_len(p);
		if (!len)
			return false;
	}
	return true;
}

/* text, or a copy in *owned with every byte we may not write replaced by
 * U+FFFD: a check's message can hold whatever a socket returned. */
static const char *writable(struct nc_xml *x, const char *text, char **owned)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *s = (const unsigned char *)text;
	size_t len, used = 0;
	char *copy;

	*owned = NULL;
	if (nc_xml_writes_as_is(text))
		return text;
	copy = malloc(strlen(text) * 3 + 1);
	if (!copy) {
		check(x, -1);
		return NULL;
	}
	for (const unsigned char *p = s; *p; p += len) {
		len = char_len(p);
		if (len) {
			memcpy(copy + used, p, len);
			used += len;
		} else {
			memcpy(copy + used, replacement, 3);
			used += 3;
			len = 1;
		}
	}
	copy[used] = '\0';
	*owned = copy;
	return copy;
}

void nc_xml_start(struct nc_xml *x, const char *name)
{
	if (!x->err)
		check(x, xmlTextWriterStartElement(x->writer, BAD_CAST name));
}

void nc_xml_end(struct nc_xml *x)
{
	if (!x->err)
		check(x, xmlTextWriterEndElement(x->writer));
}

void nc_xml_end_full(struct nc_xml *x)
{
	if (!x->err)
		check(x, xmlTextWriterFullEndElement(x->writer));
}

void nc_xml_attr(struct nc_xml *x, const char *name, const char *value)
{
	const char *clean;
	char *owned;

	if (x->err || !value)
		return;
	clean = writable(x, value, &owned);
	if (clean)
		check(x, xmlTextWriterWriteAttribute(x->writer, BAD_CAST name, BAD_CAST clean));
	free(owned);
}

void nc_xml_attrf(struct nc_xml *x, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *value;
	int ret;

	if (x->err)
		return;
	va_start(ap, fmt);
	ret = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (ret < 0) {
		check(x, -1);
		return;
	}
	nc_xml_attr(x, name, value);
	free(value);
}

void nc_xml_text(struct nc_xml *x, const char *text)
{
	const char *clean;
	char *owned;

	if (x->err || !text)
		return;
	clean = writable(x, text, &owned);
	if (clean)
		check(x, xmlTextWriterWriteString(x->writer, BAD_CAST clean));
	free(owned);
}

void nc_xml_textf(struct nc_xml *x, const char *fmt, ...)
{
	va_list ap;
	char *text;
	int ret;

	if (x->err)
		return;
	va_start(ap, fmt);
	ret = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (ret < 0) {
		check(x, -1);
		return;
	}
	nc_xml_text(x, text);
	free(text);
}

void nc_xml_element(struct nc_xml *x, const char *name, const char *text)
{
	if (!text)
		return;
	nc_xml_start(x, name);
	nc_xml_text(x, text);
	nc_xml_end_full(x);
}

void nc_xml_raw(struct nc_xml *x, const char *markup)
{
	if (!x->err)
		check(x, xmlTextWriterWriteRaw(x->writer, BAD_CAST markup));
}

int nc_xml_commit(struct nc_xml *x, const char *path, const char *prefix)
{
	int err;

	if (!x->err)
		check(x, xmlTextWriterEndDocument(x->writer));
	/* Freeing the writer flushes it into the buffer. */
	xmlFreeTextWriter(x->writer);
	x->writer = NULL;
	err = x->err;
	if (!err)
		err = nc_file_replace(path, prefix, xmlBufferContent(x->buf),
				      (size_t)xmlBufferLength(x->buf));
	nc_xml_discard(x);
	return err;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int nc_file_replace(const char *path, const char *prefix, const void *data, size_t len)
{
	char *tmp_path;
	int fd, err;

	if (asprintf(&tmp_path, "%s.tmp", path) < 0)
		return -ENOMEM;
	fd = open(tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		free(tmp_path);
		return err;
	}
	err = write_all(fd, prefix, strlen(prefix));
	if (!err)
		err = write_all(fd, data, len);
	/* After a crash the reader finds the old file or all of the new one. */
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp_path, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp_path);
	free(tmp_path);
	return err;
}

static int valid_verdict(enum nc_verdict verdict)
{
	return (unsigned)verdict < NC_N_VERDICTS;
}

static int kvs_valid(const struct nc_kv *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!list[i].key || !list[i].value)
			return 0;
	return 1;
}

int nc_run_check(const struct nc_run *run)
{
	if (!kvs_valid(run->env, run->n_env))
		return -EINVAL;
	for (size_t i = 0; i < run->n_clauses; i++)
		if (!run->clauses[i].id)
			return -EINVAL;
	for (size_t i = 0; i < run->n_results; i++) {
		const struct nc_result *r = &run->results[i];

		if (!r->id || !r->area || !nc_xml_writes_as_is(r->id) ||
		    !nc_xml_writes_as_is(r->area) || !valid_verdict(r->verdict) ||
		    (unsigned)r->raw >= NC_N_RAWS ||
		    !kvs_valid(r->expected, r->n_expected) ||
		    !kvs_valid(r->observed, r->n_observed))
			return -EINVAL;
		for (size_t c = 0; c < r->n_clauses; c++)
			if (!r->clauses[c])
				return -EINVAL;
	}
	return 0;
}

void nc_format_seconds(double seconds, char *buf, size_t size)
{
	long long ms = 0;

	/* Capped: a value that large is a bug upstream, not a duration. */
	if (isfinite(seconds) && seconds > 0)
		ms = seconds < 1e12 ? (long long)(seconds * 1000 + 0.5) : 1000000000000000LL;
	snprintf(buf, size, "%lld.%03lld", ms / 1000, ms % 1000);
}

int nc_parse_seconds(const char *text, double *seconds)
{
	long long whole = 0, frac = 0, scale = 1;
	int digits = 0;
	const char *p = text;

	for (; *p >= '0' && *p <= '9'; p++)
		if (++digits <= 15)
			whole = whole * 10 + (*p - '0');
	if (!digits || digits > 15)
		return -1;
	if (*p == '.') {
		if (!(*++p >= '0' && *p <= '9'))
			return -1;
		for (; *p >= '0' && *p <= '9'; p++)
			if (scale < 1000000000LL) {	/* nanoseconds are plenty */
				frac = frac * 10 + (*p - '0');
				scale *= 10;
			}
	}
	if (*p)
		return -1;
	*seconds = (double)whole + (double)frac / (double)scale;
	return 0;
}

void nc_xml_verdict_badge(struct nc_xml *x, const struct nc_result *r)
{
	nc_xml_start(x, "span");
	if (r) {
		nc_xml_attrf(x, "class", "badge v-%s", nc_verdict_name(r->verdict));
		nc_xml_text(x, nc_verdict_name(r->verdict));
	} else {
		nc_xml_attr(x, "class", "badge none");
		nc_xml_text(x, "absent");
	}
	nc_xml_end_full(x);
}
