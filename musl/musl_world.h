/* The hosts of a check's world, as the musl program receives them: each a
 * name and a network namespace descriptor the glibc worker passed across
 * exec (musl/world.c). */
#ifndef NC_MUSL_WORLD_H
#define NC_MUSL_WORLD_H

#define NC_MUSL_MAX_HOSTS 16

struct nc_net;

/* Adds host name, entered by setns(ns_fd): the one net, or NULL when full. */
struct nc_net *nc_musl_net_add(const char *name, int ns_fd);

#endif
