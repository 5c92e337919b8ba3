/*
 * frame: the shapes of ZeroMQ messages the client accepts, in one place.
 *
 * The reply framing rule (PROTOCOL.md §1, clarification): a reply is one
 * message of one non-empty body frame, optionally preceded by one empty
 * delimiter frame (what a ROUTER sends a REQ peer).  Any other shape —
 * more frames, a non-empty frame before the body, an empty body — is not
 * a reply: the whole message is read, dropped and counted, never half
 * used.  A body over PROTO_REPLY_BYTES_MAX is refused on its size, before
 * anything is copied or decoded.
 */
#ifndef POOLTOP_FRAME_H
#define POOLTOP_FRAME_H

#include <zmq.h>

/* Read one whole message from sock under the reply rule: 1 with the body
 * in *body (the caller closes it), 0 none waiting (*body initialised,
 * empty), -1 a message was read and dropped. */
int frame_recv_reply(void *sock, zmq_msg_t *body);
/* The same on a socket that also carries its own event stream (a keyed
 * DEALER, feeds.h): a message of two frames whose first is not empty is
 * a stream message, 2 with the topic in *topic and the event in *body
 * (the caller closes both; an event over PROTO_EVENT_BYTES_MAX or a third
 * frame is dropped, -1).  topic NULL: no stream, as frame_recv_reply. */
int frame_recv(void *sock, zmq_msg_t *body, zmq_msg_t *topic);
/* Read and drop the rest of a message whose first frame was taken. */
void frame_drain(void *sock);

#endif
