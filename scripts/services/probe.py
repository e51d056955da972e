#!/usr/bin/env python3
"""Dependency-free wire-protocol probes used by scripts/services/*.sh.

  probe.py mongo-ping    [port]  exit 0 if a MongoDB-compatible server answers {ping: 1} with ok: 1
  probe.py mongo-version [port]  print the FerretDB version (or the MongoDB version) from buildInfo
  probe.py kafka-ready   [port]  exit 0 if a Kafka broker answers a Metadata request listing >= 1 broker
"""
import socket
import struct
import sys

TIMEOUT = 2.0


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("connection closed")
        buf += chunk
    return buf


# --- minimal BSON -----------------------------------------------------------
def bson_encode(pairs):
    body = b""
    for key, value in pairs:
        k = key.encode() + b"\x00"
        if isinstance(value, bool):
            body += b"\x08" + k + (b"\x01" if value else b"\x00")
        elif isinstance(value, int):
            body += b"\x10" + k + struct.pack("<i", value)
        elif isinstance(value, str):
            v = value.encode() + b"\x00"
            body += b"\x02" + k + struct.pack("<i", len(v)) + v
        else:
            raise TypeError(type(value))
    return struct.pack("<i", len(body) + 5) + body + b"\x00"


def bson_decode(data, pos=0):
    """Decode the top-level scalar fields of a document; nested documents are skipped."""
    (length,) = struct.unpack_from("<i", data, pos)
    end = pos + length - 1
    pos += 4
    out = {}
    while pos < end:
        t = data[pos]
        pos += 1
        nul = data.index(b"\x00", pos)
        key = data[pos:nul].decode()
        pos = nul + 1
        if t == 0x01:
            out[key] = struct.unpack_from("<d", data, pos)[0]; pos += 8
        elif t == 0x02:
            (n,) = struct.unpack_from("<i", data, pos)
            out[key] = data[pos + 4:pos + 4 + n - 1].decode(errors="replace"); pos += 4 + n
        elif t in (0x03, 0x04):
            (n,) = struct.unpack_from("<i", data, pos); pos += n
        elif t == 0x05:
            (n,) = struct.unpack_from("<i", data, pos); pos += 5 + n
        elif t == 0x07:
            pos += 12
        elif t == 0x08:
            out[key] = data[pos] == 1; pos += 1
        elif t in (0x09, 0x11, 0x12):
            out[key] = struct.unpack_from("<q", data, pos)[0]; pos += 8
        elif t == 0x10:
            out[key] = struct.unpack_from("<i", data, pos)[0]; pos += 4
        elif t in (0x0A, 0xFF, 0x7F):
            pass
        else:
            break  # unknown type: stop, we only need a few scalar fields
    return out


def mongo_command(port, cmd):
    doc = bson_encode([(cmd, 1), ("$db", "admin")])
    body = struct.pack("<I", 0) + b"\x00" + doc
    msg = struct.pack("<iiii", 16 + len(body), 1, 0, 2013) + body
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(msg)
        (length,) = struct.unpack("<i", recv_exact(s, 4))
        rest = recv_exact(s, length - 4)
    _req, _resp_to, opcode = struct.unpack_from("<iii", rest, 0)
    if opcode != 2013:
        raise RuntimeError("unexpected opcode %d" % opcode)
    # rest: header(12 remaining) + flagBits(4) + kind(1) + document
    return bson_decode(rest, 12 + 4 + 1)


def kafka_ready(port):
    client_id = b"fstore-probe"
    header = struct.pack(">hhih", 3, 4, 7, len(client_id)) + client_id  # Metadata v4
    body = struct.pack(">ib", -1, 0)  # all topics, no auto-creation
    req = header + body
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as s:
        s.sendall(struct.pack(">i", len(req)) + req)
        (length,) = struct.unpack(">i", recv_exact(s, 4))
        resp = recv_exact(s, length)
    corr, _throttle, brokers = struct.unpack_from(">iii", resp, 0)
    return corr == 7 and brokers >= 1


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = sys.argv[1]
    try:
        if cmd == "mongo-ping":
            port = int(sys.argv[2]) if len(sys.argv) > 2 else 27017
            return 0 if mongo_command(port, "ping").get("ok") == 1 else 1
        if cmd == "mongo-version":
            port = int(sys.argv[2]) if len(sys.argv) > 2 else 27017
            info = mongo_command(port, "buildInfo")
            if "ferretdbVersion" in info:
                print("FerretDB %s (MongoDB %s wire)" % (info["ferretdbVersion"], info.get("version", "?")))
            else:
                print("MongoDB %s" % info.get("version", "?"))
            return 0
        if cmd == "kafka-ready":
            port = int(sys.argv[2]) if len(sys.argv) > 2 else 9092
            return 0 if kafka_ready(port) else 1
    except (OSError, EOFError, RuntimeError, struct.error, ValueError):
        return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
