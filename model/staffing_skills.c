/*
 * staffing_skills: who may work where.  Issue 12 found 39-59 % of the old
 * suggestions moving one client's contracted, trained agents into another
 * client's dedicated pool, and 12 % into a regulated drug-safety line.
 * Training belongs to the agent's home pool: a dedicated team knows its
 * tenant, a shared pool's agents the tenants it serves, and a scenario
 * widens either with `trained = TENANT, ...`.
 */
#include <stdlib.h>
#include <string.h>

#include "pooltop/staffing.h"

static int
staffing_u32_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* The tenants pool p itself serves: its own, or its serves list. */
static uint32_t
staffing_pool_tenants(const struct floor *f, uint32_t p, uint32_t *out)
{
	const struct floor_pool *fp = &f->pools[p];
	uint32_t n = 0;

	if (fp->tenant >= 0) {
		if (out)
			out[0] = (uint32_t)fp->tenant;
		return 1;
	}
	for (uint32_t i = 0; i < fp->def.n_serves; i++) {
		int t = floor_tenant_find(f, fp->def.serves[i]);

		if (t < 0)
			continue;
		if (out)
			out[n] = (uint32_t)t;
		n++;
	}
	return n;
}

int
staffing_skills_init(struct staffing_skills *sk, const struct floor *f,
                     const struct staffing_trained *extra, uint32_t n_extra)
{
	uint32_t total = 0;

	memset(sk, 0, sizeof(*sk));
	sk->off = calloc((size_t)f->n_pools + 1, sizeof(*sk->off));
	if (!sk->off)
		return -1;
	for (uint32_t p = 0; p < f->n_pools; p++)
		sk->off[p + 1] = staffing_pool_tenants(f, p, NULL);
	for (uint32_t i = 0; i < n_extra; i++)
		if (extra[i].pool < f->n_pools && extra[i].tenant < f->n_tenants)
			sk->off[extra[i].pool + 1]++;
	for (uint32_t p = 0; p < f->n_pools; p++) {
		uint32_t n = sk->off[p + 1];

		sk->off[p + 1] = total + n;
		total += n;
	}
	sk->tenant = calloc(total ? total : 1, sizeof(*sk->tenant));
	if (!sk->tenant) {
		staffing_skills_free(sk);
		return -1;
	}
	sk->n_pools = f->n_pools;
	/* fill: own tenants first, extras after, using off[p] as a cursor */
	uint32_t *fill = calloc(f->n_pools ? f->n_pools : 1, sizeof(*fill));

	if (!fill) {
		staffing_skills_free(sk);
		return -1;
	}
	for (uint32_t p = 0; p < f->n_pools; p++)
		fill[p] = sk->off[p] + staffing_pool_tenants(f, p, sk->tenant + sk->off[p]);
	for (uint32_t i = 0; i < n_extra; i++)
		if (extra[i].pool < f->n_pools && extra[i].tenant < f->n_tenants)
			sk->tenant[fill[extra[i].pool]++] = extra[i].tenant;
	free(fill);
	/* sorted and without repeats: allow() searches them */
	for (uint32_t p = 0; p < f->n_pools; p++) {
		uint32_t *v = sk->tenant + sk->off[p];
		uint32_t n = sk->off[p + 1] - sk->off[p];

		qsort(v, n, sizeof(*v), staffing_u32_cmp);
	}
	return 0;
}

void
staffing_skills_free(struct staffing_skills *sk)
{
	free(sk->off);
	free(sk->tenant);
	memset(sk, 0, sizeof(*sk));
}

static bool
staffing_skills_has(const struct staffing_skills *sk, uint32_t home, uint32_t t)
{
	const uint32_t *v = sk->tenant + sk->off[home];

	return bsearch(&t, v, sk->off[home + 1] - sk->off[home], sizeof(*v),
	               staffing_u32_cmp) != NULL;
}

int
staffing_skills_missing(const struct staffing_skills *sk, const struct floor *f,
                        uint32_t home, uint32_t to)
{
	const struct floor_pool *fp;

	if (home == to || to >= f->n_pools)
		return -1;
	fp = &f->pools[to];
	if (fp->tenant >= 0)
		return sk && home < sk->n_pools && staffing_skills_has(sk, home, (uint32_t)fp->tenant)
		       ? -1 : fp->tenant;
	for (uint32_t i = 0; i < fp->def.n_serves; i++) {
		int t = floor_tenant_find(f, fp->def.serves[i]);

		if (t >= 0 && !(sk && home < sk->n_pools && staffing_skills_has(sk, home, (uint32_t)t)))
			return t;
	}
	return -1;
}

bool
staffing_skills_allow(const struct staffing_skills *sk, const struct floor *f,
                      uint32_t home, uint32_t to)
{
	if (home == to)
		return true;
	if (!sk || home >= sk->n_pools || to >= f->n_pools)
		return false;
	return staffing_skills_missing(sk, f, home, to) < 0;
}

int
staffing_skills_from_floor(struct staffing_skills *sk, const struct floor *f)
{
	struct staffing_trained *pairs;
	uint32_t n = 0, k = 0;
	int rc;

	for (uint32_t p = 0; p < f->n_pools; p++)
		n += f->pools[p].def.n_trained;
	pairs = calloc(n ? n : 1, sizeof(*pairs));
	if (!pairs) {
		memset(sk, 0, sizeof(*sk));
		return -1;
	}
	for (uint32_t p = 0; p < f->n_pools; p++) {
		for (uint32_t i = 0; i < f->pools[p].def.n_trained; i++) {
			int t = floor_tenant_find(f, f->pools[p].def.trained[i]);

			if (t >= 0) {
				pairs[k].pool = p;
				pairs[k].tenant = (uint32_t)t;
				k++;
			}
		}
	}
	rc = staffing_skills_init(sk, f, pairs, k);
	free(pairs);
	return rc;
}
