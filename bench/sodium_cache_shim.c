/*
 * sodium_cache_shim: an EXPERIMENT for bench/bench_flood.py, not part of
 * pooltopd.  libzmq (>= 4.3.3) keeps every CURVE handshake's transient keys
 * in libsodium's guarded memory: each sodium_malloc is an mmap with guard
 * pages, mprotect and mlock, each sodium_free an munmap, and during a flood
 * of handshakes those system calls (and the TLB flushes they cause) are
 * ~40 % of pooltopd's time (perf, docs/BENCH.md).  Loaded into pooltopd
 * with LD_PRELOAD, this keeps freed blocks for reuse instead: still
 * allocated by libsodium (guarded and locked), zeroed when freed, at most
 * SHIM_KEEP of them.  It interposes libsodium for the whole process, which
 * is why it is a measurement and not the product.
 *
 *   cc -O2 -shared -fPIC -o /tmp/sodium_cache_shim.so bench/sodium_cache_shim.c -ldl -pthread
 *   bench/bench_flood.py --server-preload /tmp/sodium_cache_shim.so
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define SHIM_HDR 16              /* size and magic, before the caller's bytes */
#define SHIM_KEEP 512
#define SHIM_MAGIC 0x706f6f6c746f7021ULL

static pthread_mutex_t shim_mu = PTHREAD_MUTEX_INITIALIZER;
static void *shim_kept[SHIM_KEEP];
static size_t shim_size[SHIM_KEEP];
static int shim_n;
static void *(*shim_real_malloc)(size_t);
static void (*shim_real_free)(void *);

static void
shim_init(void)
{
	if (shim_real_malloc == NULL) {
		shim_real_free = (void (*)(void *))dlsym(RTLD_NEXT, "sodium_free");
		shim_real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "sodium_malloc");
	}
}

void *sodium_malloc(size_t n);
void *sodium_allocarray(size_t count, size_t size);
void sodium_free(void *p);

void *
sodium_malloc(size_t n)
{
	uint64_t hdr[2] = { n, SHIM_MAGIC };
	char *p = NULL;

	shim_init();
	pthread_mutex_lock(&shim_mu);
	for (int i = shim_n - 1; i >= 0; i--)
		if (shim_size[i] == n) {
			p = shim_kept[i];
			shim_kept[i] = shim_kept[--shim_n];
			shim_size[i] = shim_size[shim_n];
			break;
		}
	pthread_mutex_unlock(&shim_mu);
	if (p != NULL)
		return p + SHIM_HDR;
	if (n > SIZE_MAX - SHIM_HDR || (p = shim_real_malloc(n + SHIM_HDR)) == NULL)
		return NULL;
	memcpy(p, hdr, sizeof hdr);
	return p + SHIM_HDR;
}

void *
sodium_allocarray(size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size)
		return NULL;
	return sodium_malloc(count * size);
}

void
sodium_free(void *u)
{
	uint64_t hdr[2];
	char *p;

	if (u == NULL)
		return;
	shim_init();
	p = (char *)u - SHIM_HDR;
	memcpy(hdr, p, sizeof hdr);
	if (hdr[1] != SHIM_MAGIC) {      /* not ours: libsodium's own */
		shim_real_free(u);
		return;
	}
	explicit_bzero(u, hdr[0]);
	pthread_mutex_lock(&shim_mu);
	if (shim_n < SHIM_KEEP) {
		shim_kept[shim_n] = p;
		shim_size[shim_n++] = hdr[0];
		p = NULL;
	}
	pthread_mutex_unlock(&shim_mu);
	if (p != NULL)
		shim_real_free(p);
}
