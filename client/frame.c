/*
 * The reply framing rule and draining what breaks a shape.
 */
#include "pooltop/frame.h"
#include "pooltop/proto.h"

void
frame_drain(void *sock)
{
	int more = 1;
	size_t ml = sizeof more;

	zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &ml);
	while (more) {
		zmq_msg_t junk;

		zmq_msg_init(&junk);
		zmq_msg_recv(&junk, sock, 0);
		zmq_msg_close(&junk);
		zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &ml);
	}
}

int
frame_recv(void *sock, zmq_msg_t *body, zmq_msg_t *topic)
{
	int more = 0;
	size_t ml = sizeof more;

	zmq_msg_init(body);
	if (zmq_msg_recv(body, sock, ZMQ_DONTWAIT) < 0)
		return 0;
	zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &ml);
	if (more && zmq_msg_size(body) == 0) {
		/* A REQ-style envelope: the delimiter, then the body. */
		zmq_msg_close(body);
		zmq_msg_init(body);
		if (zmq_msg_recv(body, sock, 0) < 0) {
			zmq_msg_close(body);
			return -1;
		}
		zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &ml);
	} else if (more && topic != NULL) {
		/* A topic, then the event: a message of this connection's
		 * own stream (feeds.h); exactly two frames. */
		zmq_msg_init(topic);
		zmq_msg_move(topic, body);
		if (zmq_msg_recv(body, sock, 0) < 0) {
			zmq_msg_close(topic);
			zmq_msg_close(body);
			return -1;
		}
		zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &ml);
		if (more || zmq_msg_size(body) > PROTO_EVENT_BYTES_MAX) {
			frame_drain(sock);
			zmq_msg_close(topic);
			zmq_msg_close(body);
			return -1;
		}
		return 2;
	}
	if (more) {
		frame_drain(sock);
		zmq_msg_close(body);
		return -1;
	}
	if (zmq_msg_size(body) == 0 || zmq_msg_size(body) > PROTO_REPLY_BYTES_MAX) {
		zmq_msg_close(body);
		return -1;
	}
	return 1;
}

int
frame_recv_reply(void *sock, zmq_msg_t *body)
{
	return frame_recv(sock, body, NULL);
}
