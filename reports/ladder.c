/* Ladder diagrams in index.html: the packets of a check as SVG, client
 * column left, server column right, a row per packet. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"

/* --- ladder diagrams --- */

#define LADDER_W	520
#define LADDER_LEFT	150	/* the client's column; times to its left */
#define LADDER_RIGHT	440	/* the server's */
#define LADDER_TOP	34
#define LADDER_ROW	30
#define LADDER_ROW_ABS	40	/* with the absolute numbers under the arrow */
#define LADDER_SLANT	14	/* how far down an arrow travels */
#define LADDER_STATE	26	/* the row of TCP states under the packets */

/* What one ladder knows beyond its packets: the ISNs that make relative
 * numbers absolute, as the table beside shows them. */
struct ladder {
	bool isn_known[2];	/* [to_server]: the client's ISN, the server's */
	unsigned long isn[2];
	int row;
};

/* "0.14 ms", "12.3 ms", "1.015 s": integers, whatever the locale. */
static void packet_time(long long t_us, char *buf, size_t size)
{
	if (t_us < 0)
		t_us = 0;
	if (t_us < 10000)
		snprintf(buf, size, "%lld.%02lld ms", t_us / 1000, t_us / 10 % 100);
	else if (t_us < 1000000)
		snprintf(buf, size, "%lld.%lld ms", t_us / 1000, t_us / 100 % 10);
	else
		snprintf(buf, size, "%lld.%03lld s", t_us / 1000000, t_us / 1000 % 1000);
}

static void svg_attr_num(struct page *p, const char *name, double value)
{
	nc_xml_attrf(&p->x, name, "%d", (int)lround(value));
}

static void svg_line(struct page *p, const char *class, double x1, double y1, double x2,
		     double y2)
{
	nc_xml_start(&p->x, "line");
	nc_xml_attr(&p->x, "class", class);
	svg_attr_num(p, "x1", x1);
	svg_attr_num(p, "y1", y1);
	svg_attr_num(p, "x2", x2);
	svg_attr_num(p, "y2", y2);
	nc_xml_end(&p->x);
}

static void svg_text(struct page *p, const char *class, double x, double y, const char *anchor,
		     const char *text)
{
	nc_xml_start(&p->x, "text");
	nc_xml_attr(&p->x, "class", class);
	svg_attr_num(p, "x", x);
	svg_attr_num(p, "y", y);
	nc_xml_attr(&p->x, "text-anchor", anchor);
	nc_xml_text(&p->x, text);
	nc_xml_end_full(&p->x);
}

/* An arrow head at (x, y) pointing along (dx, dy). */
static void svg_head(struct page *p, double x, double y, double dx, double dy)
{
	double len = hypot(dx, dy), ux = dx / len, uy = dy / len;

	nc_xml_start(&p->x, "polygon");
	nc_xml_attrf(&p->x, "points", "%d,%d %d,%d %d,%d", (int)lround(x), (int)lround(y),
		     (int)lround(x - 8 * ux - 3.5 * uy), (int)lround(y - 8 * uy + 3.5 * ux),
		     (int)lround(x - 8 * ux + 3.5 * uy), (int)lround(y - 8 * uy - 3.5 * ux));
	nc_xml_end(&p->x);
}

static bool has_flag(const char *flags, const char *flag)
{
	size_t len = strlen(flag);

	for (const char *f = flags; *f; f += strcspn(f, ","), f += *f == ',') {
		if (strncmp(f, flag, len) == 0 && (f[len] == ',' || f[len] == '\0'))
			return true;
	}
	return false;
}

/* "SYN,ACK seq 0 ack 1", "PSH,ACK seq 1:6 ack 1", "ICMP host-unreach" */
static void packet_label(const struct nc_packet *pk, char *buf, size_t size)
{
	if (strncmp(pk->flags, "ICMP", 4) == 0) {
		snprintf(buf, size, "%.*s %s", (int)strcspn(pk->flags, ":"), pk->flags,
			 pk->flags + strcspn(pk->flags, ":") + (strchr(pk->flags, ':') != NULL));
		return;
	}
	if (pk->len)
		snprintf(buf, size, "%s seq %lu:%lu", pk->flags, pk->seq, pk->seq + pk->len);
	else
		snprintf(buf, size, "%s seq %lu", pk->flags, pk->seq);
	if (has_flag(pk->flags, "ACK"))
		snprintf(buf + strlen(buf), size - strlen(buf), " ack %lu", pk->ack);
}

static const char *packet_class(const struct nc_packet *pk)
{
	if (strncmp(pk->flags, "ICMP", 4) == 0)
		return "icmp";
	if (has_flag(pk->flags, "RST"))
		return "rst";
	return pk->to_server ? "to-server" : "to-client";
}

/* "seq 1646287507 ack 1328534932": the numbers on the wire. */
static bool packet_absolute(const struct ladder *l, const struct nc_packet *pk, char *buf,
			    size_t size)
{
	bool dir = pk->to_server;

	if (strncmp(pk->flags, "ICMP", 4) == 0 || !l->isn_known[dir])
		return false;
	snprintf(buf, size, "seq %lu", (pk->seq + l->isn[dir]) & 0xffffffffUL);
	if (has_flag(pk->flags, "ACK") && l->isn_known[!dir])
		snprintf(buf + strlen(buf), size - strlen(buf), " ack %lu",
			 (pk->ack + l->isn[!dir]) & 0xffffffffUL);
	return true;
}

static void write_packet(struct page *p, const struct ladder *l, const struct nc_packet *pk,
			 double y)
{
	double from = pk->to_server ? LADDER_LEFT : LADDER_RIGHT;
	double to = pk->to_server ? LADDER_RIGHT : LADDER_LEFT;
	double end = pk->dropped ? from + (to - from) * 0.62 : to;
	double y_end = y + LADDER_SLANT * (end - from) / (to - from);
	char label[128], when[32], absolute[64];

	nc_xml_start(&p->x, "g");
	nc_xml_attrf(&p->x, "class", "pk %s%s", packet_class(pk), pk->dropped ? " dropped" : "");
	nc_xml_attr(&p->x, "data-flags", pk->flags);
	nc_xml_start(&p->x, "title");
	nc_xml_textf(&p->x, "%s \xe2\x86\x92 %s %s, %u bytes, seen by %s%s%s", pk->src, pk->dst,
		     pk->flags, pk->len, pk->seen, pk->dropped ? "; lost: " : "",
		     pk->dropped ? pk->dropped : "");
	nc_xml_end_full(&p->x);
	packet_time(pk->t_us, when, sizeof(when));
	svg_text(p, "t", 6, y + 4, "start", when);
	svg_line(p, NULL, from, y, end, y_end);
	if (pk->dropped) {
		svg_line(p, "x", end - 5, y_end - 5, end + 5, y_end + 5);
		svg_line(p, "x", end - 5, y_end + 5, end + 5, y_end - 5);
	} else {
		svg_head(p, end, y_end, to - from, LADDER_SLANT);
	}
	packet_label(pk, label, sizeof(label));
	if (pk->dropped) {
		size_t used = strlen(label);

		int host = (int)strcspn(pk->dropped, ":");
		const char *side = host != 1 ? NULL : *pk->dropped == 'c' ? "client" :
				   *pk->dropped == 's' ? "server" : NULL;

		/* "s:fault-1": the columns say client and server, so does the label */
		snprintf(label + used, sizeof(label) - used, " \xe2\x80\x94 lost at %.*s",
			 side ? 6 : host, side ? side : pk->dropped);
	}
	svg_text(p, "lbl", (LADDER_LEFT + LADDER_RIGHT) / 2.0, y - 4 + LADDER_SLANT / 2.0 - 3,
		 "middle", label);
	if (packet_absolute(l, pk, absolute, sizeof(absolute)))
		svg_text(p, "abs", (LADDER_LEFT + LADDER_RIGHT) / 2.0, y + LADDER_SLANT / 2.0 + 17,
			 "middle", absolute);
	nc_xml_end_full(&p->x);
}

bool page_is_isn_key(const char *key)
{
	return strncmp(key, "isn(", 4) == 0;
}

static void find_isns(const struct nc_result *r, unsigned conn, struct ladder *l)
{
	for (int dir = 0; dir < 2; dir++) {
		const char *side = dir ? "client" : "server";
		char key[48], *end;

		if (conn)
			snprintf(key, sizeof(key), "isn(%s, conn %u)", side, conn + 1);
		else
			snprintf(key, sizeof(key), "isn(%s)", side);
		for (size_t i = 0; i < r->n_observed; i++)
			if (strcmp(r->observed[i].key, key) == 0) {
				l->isn[dir] = strtoul(r->observed[i].value, &end, 10);
				l->isn_known[dir] = *r->observed[i].value && !*end;
			}
	}
}

/* A TCP state the check observed: its value is a state's name. */
static bool is_tcp_state(const char *value)
{
	static const char *const names[] = {
		"ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT_1", "FIN_WAIT_2", "TIME_WAIT",
		"CLOSE", "CLOSED", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
		"FIN_WAIT1", "FIN_WAIT2",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(value, names[i]) == 0)
			return true;
	return false;
}

/* Which column a state belongs to, 1 the client's, 0 the server's, as the
 * check said (struct nc_kv's side); -1 when it did not. */
static int state_side(const struct nc_kv *kv)
{
	if (!kv->side)
		return -1;
	return strcmp(kv->side, "client") == 0 ? 1 : strcmp(kv->side, "server") == 0 ? 0 : -1;
}

/* Which connection's ladder a state goes under: the one its key names
 * ("state(client, conn 2)"), else the last: a check reads the states at
 * its end, when the last connection is the one it made (a second
 * connect() after a failed one). */
static unsigned state_conn(const char *key, unsigned n_conns)
{
	const char *at = strstr(key, "conn ");
	unsigned long n = at ? strtoul(at + 5, NULL, 10) : 0;

	return n >= 1 && n <= n_conns ? (unsigned)n - 1 : n_conns - 1;
}

static bool is_state_of(const struct nc_kv *kv, unsigned conn, unsigned n_conns)
{
	return is_tcp_state(kv->value) && state_conn(kv->key, n_conns) == conn;
}

static size_t count_states(const struct nc_result *r, unsigned conn, unsigned n_conns)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_observed; i++)
		n += is_state_of(&r->observed[i], conn, n_conns);
	return n;
}

/* A box on a column, or between them for a state whose side the key does
 * not say; its key on hover. */
static void write_state(struct page *p, const struct nc_kv *kv, double x, double y)
{
	double w = 8.2 * (double)strlen(kv->value) + 12;	/* 13.5 px monospace */

	nc_xml_start(&p->x, "g");
	nc_xml_attr(&p->x, "class", "st");
	nc_xml_attr(&p->x, "data-key", kv->key);
	nc_xml_start(&p->x, "title");
	nc_xml_textf(&p->x, "%s = %s, as the check observed it", kv->label ? kv->label : kv->key,
		     kv->value);
	nc_xml_end_full(&p->x);
	nc_xml_start(&p->x, "rect");
	svg_attr_num(p, "x", x - w / 2);
	svg_attr_num(p, "y", y - 11);
	svg_attr_num(p, "width", w);
	svg_attr_num(p, "height", 15);
	nc_xml_attr(&p->x, "rx", "3");
	nc_xml_end(&p->x);
	svg_text(p, NULL, x, y, "middle", kv->value);
	nc_xml_end_full(&p->x);
}

/* The states under the packets: each side's on its column, one a row; the
 * others between the columns, with their key. */
static double write_states(struct page *p, const struct nc_result *r, unsigned conn,
			   unsigned n_conns, double y)
{
	double rows[2] = { y, y }, middle = y;

	for (size_t i = 0; i < r->n_observed; i++) {
		const struct nc_kv *kv = &r->observed[i];
		int side = state_side(kv);

		if (!is_state_of(kv, conn, n_conns))
			continue;
		if (side >= 0) {
			write_state(p, kv, side ? LADDER_LEFT : LADDER_RIGHT, rows[side]);
			rows[side] += LADDER_STATE - 6;
		} else {
			char text[96];

			snprintf(text, sizeof(text), "%s: %s", kv->label ? kv->label : kv->key,
				 kv->value);
			write_state(p, &(struct nc_kv){ .key = kv->key, .value = text, .label = kv->label },
				    (LADDER_LEFT + LADDER_RIGHT) / 2.0, middle);
			middle += LADDER_STATE - 6;
		}
	}
	y = rows[0] > rows[1] ? rows[0] : rows[1];
	return y > middle ? y : middle;
}

static void legend_item(struct page *p, const char *class, const char *text)
{
	page_open(p, "span", class);
	page_text(p, "i", NULL, "");
	nc_xml_text(&p->x, text);
	page_close(p);
}

/* What the colours and marks of this ladder mean: only those it uses. */
static void write_legend(struct page *p, const struct nc_result *r, unsigned conn,
			 const struct ladder *l, bool states)
{
	bool seen[5] = { false };

	for (size_t i = 0; i < r->n_packets; i++) {
		const struct nc_packet *pk = &r->packets[i];
		const char *class = packet_class(pk);

		if (pk->conn != conn)
			continue;
		seen[0] |= strcmp(class, "to-server") == 0;
		seen[1] |= strcmp(class, "to-client") == 0;
		seen[2] |= strcmp(class, "rst") == 0;
		seen[3] |= strcmp(class, "icmp") == 0;
		seen[4] |= pk->dropped != NULL;
	}
	page_open(p, "div", "legend");
	if (seen[0])
		legend_item(p, "to-server", "client \xe2\x86\x92 server");
	if (seen[1])
		legend_item(p, "to-client", "server \xe2\x86\x92 client");
	if (seen[2])
		legend_item(p, "rst", "RST");
	if (seen[3])
		legend_item(p, "icmp", "ICMP error");
	if (seen[4])
		legend_item(p, "dropped", "lost (\xc3\x97 where)");
	if (states)
		legend_item(p, "state", "TCP state the check observed");
	page_open(p, "span", NULL);
	nc_xml_text(&p->x, l->isn_known[0] || l->isn_known[1] ?
		    "seq/ack: relative to each side's ISN; on the wire below" :
		    "seq/ack: relative to each side's ISN");
	page_close(p);
	page_close(p);
}

/* One ladder per connection: client column left, server column right. */
static void write_ladder(struct page *p, const struct nc_result *r, unsigned conn,
			 unsigned n_conns)
{
	const struct nc_packet *first = NULL;
	struct ladder l = { .row = LADDER_ROW };
	char client[64], server[64];
	size_t n = 0, n_states = count_states(r, conn, n_conns);
	double y, bottom;

	/* the ends are a TCP segment's: an ICMP error may come from a router */
	for (size_t i = 0; i < r->n_packets; i++) {
		const struct nc_packet *pk = &r->packets[i];

		if (pk->conn != conn)
			continue;
		n++;
		if (!first || (strncmp(first->flags, "ICMP", 4) == 0 &&
			       strncmp(pk->flags, "ICMP", 4) != 0))
			first = pk;
	}
	if (!n)
		return;
	find_isns(r, conn, &l);
	if (l.isn_known[0] || l.isn_known[1])
		l.row = LADDER_ROW_ABS;
	snprintf(client, sizeof(client), "%s", first->to_server ? first->src : first->dst);
	snprintf(server, sizeof(server), "%s", first->to_server ? first->dst : first->src);
	bottom = LADDER_TOP + 8 + (double)n * l.row + (double)n_states * (LADDER_STATE - 6);

	page_open(p, "div", "ladder");
	if (n_conns > 1) {
		page_open(p, "div", "caption");
		nc_xml_textf(&p->x, "connection %u of %u", conn + 1, n_conns);
		page_close(p);
	}
	nc_xml_start(&p->x, "svg");
	nc_xml_attr(&p->x, "xmlns", "http://www.w3.org/2000/svg");
	nc_xml_attr(&p->x, "class", "ladder");
	nc_xml_attrf(&p->x, "data-packets", "%zu", n);
	nc_xml_attrf(&p->x, "viewBox", "0 0 %d %d", LADDER_W, (int)lround(bottom) + 8);
	nc_xml_attr(&p->x, "role", "img");
	nc_xml_start(&p->x, "title");
	nc_xml_textf(&p->x, "packets between %s and %s", client, server);
	nc_xml_end_full(&p->x);
	svg_text(p, "end", LADDER_LEFT, 12, "middle", "client");
	svg_text(p, "t", LADDER_LEFT, 25, "middle", client);
	svg_text(p, "end", LADDER_RIGHT, 12, "middle", "server");
	svg_text(p, "t", LADDER_RIGHT, 25, "middle", server);
	svg_line(p, "col", LADDER_LEFT, LADDER_TOP, LADDER_LEFT, bottom);
	svg_line(p, "col", LADDER_RIGHT, LADDER_TOP, LADDER_RIGHT, bottom);
	y = LADDER_TOP + 14;
	for (size_t i = 0; i < r->n_packets; i++)
		if (r->packets[i].conn == conn) {
			write_packet(p, &l, &r->packets[i], y);
			y += l.row;
		}
	if (n_states) {
		svg_text(p, "t", 6, y + 4, "start", "observed");
		write_states(p, r, conn, n_conns, y + 4);
	}
	nc_xml_end_full(&p->x);
	write_legend(p, r, conn, &l, n_states > 0);
	page_close(p);
}

void page_ladders(struct page *p, const struct nc_result *r)
{
	unsigned n_conns = 0;

	for (size_t i = 0; i < r->n_packets; i++)
		if (r->packets[i].conn + 1 > n_conns)
			n_conns = r->packets[i].conn + 1;
	for (unsigned c = 0; c < n_conns && c < 8; c++)
		write_ladder(p, r, c, n_conns);
}
