#include "case_host.h"
#include "net.h"

struct nc_host *nc_ctx_host(const struct nc_case_ctx *ctx, const char *name)
{
	struct nc_host *host = ctx->net ? nc_net_host(ctx->net, name) : NULL;

	if (!host)
		nc_fatal("scenario %s has no host \"%s\"",
			 ctx->check->scenario ? ctx->check->scenario : "(none)", name);
	return host;
}
