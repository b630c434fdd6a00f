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

#define LADDER_W	470
#define LADDER_LEFT	140	/* the client's column; times to its left */
#define LADDER_RIGHT	390	/* the server's */
#define LADDER_TOP	34
#define LADDER_ROW	30
#define LADDER_SLANT	14	/* how far down an arrow travels */

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

static void write_packet(struct page *p, const struct nc_packet *pk, double y)
{
	double from = pk->to_server ? LADDER_LEFT : LADDER_RIGHT;
	double to = pk->to_server ? LADDER_RIGHT : LADDER_LEFT;
	double end = pk->dropped ? from + (to - from) * 0.62 : to;
	double y_end = y + LADDER_SLANT * (end - from) / (to - from);
	char label[128], when[32];

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

		snprintf(label + used, sizeof(label) - used, " \xe2\x80\x94 lost at %.*s",
			 (int)strcspn(pk->dropped, ":"), pk->dropped);
	}
	svg_text(p, "lbl", (LADDER_LEFT + LADDER_RIGHT) / 2.0, y - 4 + LADDER_SLANT / 2.0 - 3,
		 "middle", label);
	nc_xml_end_full(&p->x);
}

/* One ladder per connection: client column left, server column right. */
static void write_ladder(struct page *p, const struct nc_result *r, unsigned conn,
			 unsigned n_conns)
{
	const struct nc_packet *first = NULL;
	char client[64], server[64];
	size_t n = 0;
	double y;

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
	snprintf(client, sizeof(client), "%s", first->to_server ? first->src : first->dst);
	snprintf(server, sizeof(server), "%s", first->to_server ? first->dst : first->src);

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
	nc_xml_attrf(&p->x, "viewBox", "0 0 %d %d", LADDER_W,
		     LADDER_TOP + 16 + (int)n * LADDER_ROW);
	nc_xml_attr(&p->x, "role", "img");
	nc_xml_start(&p->x, "title");
	nc_xml_textf(&p->x, "packets between %s and %s", client, server);
	nc_xml_end_full(&p->x);
	svg_text(p, "end", LADDER_LEFT, 12, "middle", "client");
	svg_text(p, "t", LADDER_LEFT, 25, "middle", client);
	svg_text(p, "end", LADDER_RIGHT, 12, "middle", "server");
	svg_text(p, "t", LADDER_RIGHT, 25, "middle", server);
	y = LADDER_TOP + 8 + (int)n * LADDER_ROW;
	svg_line(p, "col", LADDER_LEFT, LADDER_TOP, LADDER_LEFT, y);
	svg_line(p, "col", LADDER_RIGHT, LADDER_TOP, LADDER_RIGHT, y);
	y = LADDER_TOP + 14;
	for (size_t i = 0; i < r->n_packets; i++)
		if (r->packets[i].conn == conn) {
			write_packet(p, &r->packets[i], y);
			y += LADDER_ROW;
		}
	nc_xml_end_full(&p->x);
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

/* Whether "verdict" alone tells what happened, or the outcome needs saying. */
