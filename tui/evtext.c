#include <stdio.h>

#include "pooltop/evtext.h"
#include "pooltop/fmt.h"

char *
evtext_format(char *buf, size_t len, const struct proto_event *ev)
{
	char d[32];

	switch (ev->type) {
	case PROTO_EV_HB:
		snprintf(buf, len, "heartbeat");
		break;
	case PROTO_EV_CONTACT_QUEUED:
		snprintf(buf, len, "queued    %s c%llu (%s)", ev->tenant, (unsigned long long)ev->contact,
		         proto_channel_name(ev->channel));
		break;
	case PROTO_EV_CONTACT_ANSWERED:
		snprintf(buf, len, "answered  %s c%llu by %s after %s", ev->tenant,
		         (unsigned long long)ev->contact, ev->agent,
		         fmt_duration(d, sizeof d, (int64_t)ev->wait_ms));
		break;
	case PROTO_EV_CONTACT_ABANDONED:
		snprintf(buf, len, "abandoned %s c%llu after %s", ev->tenant,
		         (unsigned long long)ev->contact, fmt_duration(d, sizeof d, (int64_t)ev->wait_ms));
		break;
	case PROTO_EV_CONTACT_ENDED:
		snprintf(buf, len, "ended     %s c%llu by %s, talked %s", ev->tenant,
		         (unsigned long long)ev->contact, ev->agent,
		         fmt_duration(d, sizeof d, (int64_t)ev->talk_ms));
		break;
	case PROTO_EV_CONTACT_WRAPPED:
		snprintf(buf, len, "wrapped   %s c%llu by %s, wrap %s", ev->tenant,
		         (unsigned long long)ev->contact, ev->agent,
		         fmt_duration(d, sizeof d, (int64_t)ev->wrap_ms));
		break;
	case PROTO_EV_AGENT_STATE:
		snprintf(buf, len, "agent     %s is %s%s%s", ev->agent, proto_agent_state_name(ev->state),
		         ev->tenant[0] ? " for " : "", ev->tenant);
		break;
	case PROTO_EV_AGENT_MOVED:
		snprintf(buf, len, "MOVED     %s %s -> %s by %s: %s", ev->agent, ev->from, ev->to, ev->by,
		         ev->reason);
		break;
	case PROTO_EV_SHIFT_STARTED:
		snprintf(buf, len, "SHIFT     %s started", ev->shift);
		break;
	case PROTO_EV_FLOOR_RESET:
		snprintf(buf, len, "RESET     the floor was redefined");
		break;
	default:
		snprintf(buf, len, "?");
	}
	return buf;
}
