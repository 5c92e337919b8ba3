#!/bin/sh
# Keys, roles and scopes with real CURVE sockets: see tests/e2e/auth.py.
# Needs a python3 with pyzmq and msgpack (.ci/deps installs python3-zmq
# and python3-msgpack for the system python3).
cd "$(dirname "$0")/../.." || exit 1
for py in ${PYTHON_ZMQ:-} python3 /usr/bin/python3; do
	if "$py" -c 'import zmq, msgpack; assert zmq.has("curve")' 2>/dev/null; then
		exec "$py" tests/e2e/auth.py
	fi
done
echo "FAIL: no python3 with pyzmq (CURVE) and msgpack; run make deps" >&2
exit 1
