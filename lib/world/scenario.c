/* A parsed scenario (scenario.h): freeing it, and the questions the parser
 * and the builder ask of it.  Reading one is scenario_parse.c's. */
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

void nc_scenario_free(struct nc_scenario *scn)
{
	if (!scn)
		return;
	free(scn->path);
	free(scn->hosts);
	free(scn->links);
	free(scn->addrs);
	free(scn->routes);
	free(scn->sysctls);
	free(scn->faults);
	free(scn->netems);
	free(scn);
}

bool nc_scenario_needs_netem(const struct nc_scenario *scn)
{
	return scn && scn->n_netems > 0;
}

int nc_scenario_host(const struct nc_scenario *scn, const char *name)
{
	for (size_t i = 0; i < scn->n_hosts; i++)
		if (strcmp(scn->hosts[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The interfaces of host: lo and one veth per link, named after the peer. */
bool nc_scenario_has_interface(const struct nc_scenario *scn, int host, const char *ifname)
{
	if (strcmp(ifname, "lo") == 0)
		return true;
	for (size_t i = 0; i < scn->n_links; i++) {
		const struct nc_scn_link *l = &scn->links[i];

		if ((l->host_a == host && strcmp(scn->hosts[l->host_b].name, ifname) == 0) ||
		    (l->host_b == host && strcmp(scn->hosts[l->host_a].name, ifname) == 0))
			return true;
	}
	return false;
}

size_t nc_scenario_links(const struct nc_scenario *scn, int host, const char **first)
{
	size_t n = 0;

	for (size_t i = 0; i < scn->n_links; i++) {
		const struct nc_scn_link *l = &scn->links[i];
		int peer = l->host_a == host ? l->host_b : l->host_b == host ? l->host_a : -1;

		if (peer < 0)
			continue;
		if (n++ == 0 && first)
			*first = scn->hosts[peer].name;
	}
	return n;
}
