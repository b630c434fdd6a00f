/* Faults at run time (net_fault.h), through the backend, inside the host. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "net_fault.h"
#include "nftables.h"
#include "poll_until.h"

struct nc_net_fault *nc_fault_find(struct nc_net *net, const char *name)
{
	char names[256] = "";
	size_t used = 0;

	if (!net) {
		nc_error(-ENOENT, "no fault \"%s\": the check has no network (no scenario)",
			 name ? name : "");
		return NULL;
	}
	for (struct nc_net_fault *f = net->faults; f; f = f->next)
		if (name && strcmp(f->name, name) == 0)
			return f;
	for (struct nc_net_fault *f = net->faults; f && used < sizeof(names); f = f->next)
		used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
					 used ? ", " : "", f->name);
	nc_error(-ENOENT, "%s has no fault \"%s\" (%s%s)", net->path, name ? name : "",
		 names[0] ? "it has " : "it has none", names);
	return NULL;
}

/* Runs op in the fault's host, turning its error into a message. */
static int in_host(struct nc_host *host, const char *what, const char *name,
		   int (*op)(void *arg), void *arg)
{
	int saved, err = nc_ns_visit(host->ns_fd, &saved);

	if (err < 0)
		return nc_error(err, "fault %s on %s: setns", name, host->name);
	err = op(arg);
	nc_ns_return(saved);
	return err < 0 ? nc_error(err, "fault %s on %s: %s (nf_tables)", name, host->name, what)
		       : 0;
}

/* A kernel that refuses nf_tables lacks a capability: -EOPNOTSUPP. */
static int add_rule(void *arg)
{
	int err = nc_nft_add(arg, 1);

	return err < 0 && nc_nft_refused(err) ? -EOPNOTSUPP : err;
}

int nc_fault_add(struct nc_host *host, const char *name, const char *text)
{
	struct nc_net_fault *f, **tail;
	struct nc_nft_rule rule;
	char why[200];
	int err;

	if (!host || !name || !text)
		return nc_error(-EINVAL, "fault: no host, name or rule");
	if (strlen(name) >= sizeof(f->name) || !*name)
		return nc_error(-EINVAL, "fault \"%s\": a name of 1 to %zu characters", name,
				sizeof(f->name) - 1);
	for (f = host->net->faults; f; f = f->next)
		if (strcmp(f->name, name) == 0)
			return nc_error(-EEXIST, "fault %s: the network has one of that name",
					name);
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	if (nc_fault_parse(text, &f->rule, why, sizeof(why)) < 0) {
		free(f);
		return nc_error(-EINVAL, "fault %s %s: %s", name, text, why);
	}
	strcpy(f->name, name);
	f->host = host;
	f->id = ++host->net->last_fault_id;
	rule = (struct nc_nft_rule){ &f->rule, f->id };
	err = in_host(host, "add", name, add_rule, &rule);
	if (err < 0) {
		free(f);
		return err;
	}
	for (tail = &host->net->faults; *tail; tail = &(*tail)->next)
		;
	*tail = f;
	return 0;
}

static int del_rule(void *arg)
{
	return nc_nft_del(*(int *)arg);
}

int nc_fault_del(struct nc_net *net, const char *name)
{
	struct nc_net_fault *f = nc_fault_find(net, name), **link;
	int err;

	if (!f)
		return -ENOENT;
	err = in_host(f->host, "delete", name, del_rule, &f->id);
	if (err < 0)
		return err;
	for (link = &net->faults; *link != f; link = &(*link)->next)
		;
	*link = f->next;
	free(f);
	return 0;
}

struct count {
	int id;
	uint64_t packets;
};

static int read_counter(void *arg)
{
	struct count *count = arg;

	return nc_nft_packets(count->id, &count->packets);
}

int nc_fault_packets(struct nc_net *net, const char *name, uint64_t *packets)
{
	struct nc_net_fault *f = nc_fault_find(net, name);
	struct count count = { 0, 0 };
	int err;

	*packets = 0;
	if (!f)
		return -ENOENT;
	count.id = f->id;
	err = in_host(f->host, "packet counter", name, read_counter, &count);
	*packets = count.packets;
	return err;
}

struct met {
	struct nc_net *net;
	const char *name;
	uint64_t at_least, *packets;
};

static int has_met(void *arg)
{
	struct met *met = arg;
	int err = nc_fault_packets(met->net, met->name, met->packets);

	return err < 0 ? err : *met->packets >= met->at_least;
}

int nc_fault_wait_packets(struct nc_net *net, const char *name, uint64_t at_least,
			  unsigned deadline_ms, uint64_t *packets)
{
	struct met met = { net, name, at_least, packets };
	int err = nc_poll_until(has_met, &met, deadline_ms, NC_BACKOFF_KERNEL_WORK);

	if (err == -ETIMEDOUT)
		return nc_error(err, "fault %s: %llu packets after %u ms, waited for %llu", name,
				(unsigned long long)*packets, deadline_ms,
				(unsigned long long)at_least);
	return err;
}
