"""A request of more than one frame (other than REQ's empty delimiter)
gets a bad_request reply, as PROTOCOL.md section 1 promises, instead of
silence; the server goes on answering well-formed requests."""
import server_lib as L

with L.Server() as sv:
    d = sv.dealer()
    ping = L.request("mf-1", "ping")
    for frames in ([b"extra", ping], [ping, b"tail"], [b"", b"", ping], [b"a", b"b", b"c", b"d", b"e", ping]):
        d.send_multipart(frames)
        L.check(d.poll(3000), "no reply to a request of %d frames" % len(frames))
        rp = L.reply(d.recv_multipart()[-1])
        L.check(rp.get("ok") is False and rp.get("err") == "bad_request",
                "a %d-frame request got %r, not bad_request" % (len(frames), rp))
        L.check(rp.get("msg"), "bad_request without a sentence")
    # REQ's empty delimiter is still a request
    d.send_multipart([b"", ping])
    L.check(d.poll(3000), "no reply to delimiter + body")
    rp = L.reply(d.recv_multipart()[-1])
    L.check(rp.get("ok") is True and rp.get("id") == "mf-1", "delimiter + body: %r" % rp)
    L.check(sv.call("ping") is not None, "server stopped answering")
print("ok: multi-frame requests are refused with bad_request")
