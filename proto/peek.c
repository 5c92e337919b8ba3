/*
 * A reply's id before its body: the client matches a reply to the request
 * it answers (and so to the op it must be decoded as) by id alone.
 */
#include <string.h>

#include "pooltop/mpread.h"
#include "pooltop/proto.h"

int
proto_peek_id(const uint8_t *buf, size_t len, char id[PROTO_REQID_MAX + 1])
{
	struct mpread r;
	uint32_t n;
	int rc;

	mpread_init(&r, buf, len);
	if ((rc = mpread_map(&r, &n)) != PROTO_OK)
		return rc;
	for (uint32_t i = 0; i < n; i++) {
		const char *k, *s;
		uint32_t kl, sl;

		if ((rc = mpread_str(&r, &k, &kl)) != PROTO_OK)
			return rc;
		if (kl == 2 && memcmp(k, "id", 2) == 0) {
			if ((rc = mpread_str(&r, &s, &sl)) != PROTO_OK)
				return rc;
			if (sl > PROTO_REQID_MAX)
				return PROTO_E_LIMIT;
			/* Same rule as the decoders: no NUL hidden in an id. */
			if (memchr(s, '\0', sl) != NULL)
				return PROTO_E_VALUE;
			memcpy(id, s, sl);
			id[sl] = '\0';
			return PROTO_OK;
		}
		if ((rc = mpread_skip(&r)) != PROTO_OK)
			return rc;
	}
	return PROTO_E_MISSING;
}
