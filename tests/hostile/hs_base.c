#include "config.h"

#include "hserver.h"

/* The benign cluster alone: what every other scenario falls back to. */
static int empty(struct hs_conn *c, const struct hs_req *r)
{
	(void)c;
	(void)r;
	return 0;
}
HS_SCENARIO(empty, "an honest, empty cluster (every request to hs_default)", empty)
