/* The flags byte of a TCP header, as numbers and as the names iptables
 * and tcpdump give them ("SYN,ACK"). */
#ifndef NC_TCP_FLAGS_H
#define NC_TCP_FLAGS_H

#include <stddef.h>
#include <stdint.h>

#define NC_TCP_FIN 0x01
#define NC_TCP_SYN 0x02
#define NC_TCP_RST 0x04
#define NC_TCP_PSH 0x08
#define NC_TCP_ACK 0x10
#define NC_TCP_URG 0x20
#define NC_TCP_ALL 0x3f		/* the six classic flags */

/* "SYN,ACK,FIN,RST" (names among SYN ACK FIN RST URG PSH ALL NONE, comma
 * separated, none twice) into bits.  Returns 0, or -EINVAL. */
int nc_tcp_flags_parse(const char *text, uint8_t *bits);
/* bits as "SYN,FIN,RST,PSH,ACK,URG" (that order, the set ones), or "NONE";
 * into buf, which is returned. */
const char *nc_tcp_flags_text(uint8_t bits, char *buf, size_t size);

#endif
