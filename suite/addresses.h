/* The addresses of the hosts of the scenarios (scenarios/ *.scn): the
 * client "c" and the server "s" (in the resolver's worlds, host "ns", its
 * DNS server), named once.  A port is pasted on: SERVER_V4 ":9". */
#ifndef NC_ADDRESSES_H
#define NC_ADDRESSES_H

#define CLIENT_V4 "198.18.0.1"
#define CLIENT_V6 "[2001:db8::1]"
#define SERVER_V4 "198.18.0.2"
#define SERVER_V6 "[2001:db8::2]"
#define NAMESERVER_V4 SERVER_V4

#endif
