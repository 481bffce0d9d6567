#!/usr/bin/env python3
"""The receiver of Python's logging cookbook, for the socket handlers' tests
(stdlib only): each record is read as Python's SocketHandler and
DatagramHandler send it (a 4-byte big-endian length, then a pickle),
turned back into a LogRecord with pickle.loads() and logging.makeLogRecord(),
handled by a logger whose handler formats it with a format naming every
attribute, and written to OUT as one JSON line: the record's __dict__ plus
"formatted". With 'lines', each newline-terminated line is written as
{"line": ...}.

    receiver.py tcp|udp|lines PORT OUT [PORTFILE]

PORT 0 picks a free port, written to PORTFILE once listening. Runs until
killed.
"""
import json
import logging
import os
import pickle
import socket
import socketserver
import struct
import sys
import threading

FORMAT = ("%(asctime)s %(created)f %(msecs)d %(relativeCreated)d %(name)s %(levelno)d "
          "%(levelname)s %(pathname)s %(filename)s %(module)s %(lineno)d %(funcName)s "
          "%(thread)d %(threadName)s %(process)d %(processName)s %(message)s")

lock = threading.Lock()
out = None


def write(obj):
    with lock:
        out.write(json.dumps(obj) + "\n")
        out.flush()


class Capture(logging.Handler):
    """Formats each record as any Python handler would, then writes it."""

    def emit(self, record):
        d = {k: v for k, v in record.__dict__.items()}
        d["formatted"] = self.format(record)
        d["message_from_getMessage"] = record.getMessage()
        write({k: (v if isinstance(v, (str, int, float, bool, type(None))) else repr(v))
               for k, v in d.items()})


def handle_pickle(chunk):
    obj = pickle.loads(chunk)
    record = logging.makeLogRecord(obj)
    logging.getLogger("received." + record.name).handle(record)


class PickleStream(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            head = self.rfile.read(4)
            if len(head) < 4:
                return
            size = struct.unpack(">L", head)[0]
            chunk = self.rfile.read(size)
            if len(chunk) < size:
                return
            handle_pickle(chunk)


class LineStream(socketserver.StreamRequestHandler):
    def handle(self):
        for raw in self.rfile:
            write({"line": raw.decode("utf-8", "replace")})


class PickleDatagram(socketserver.BaseRequestHandler):
    def handle(self):
        data = self.request[0]
        handle_pickle(data[4:])


class TCPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class UDPServer(socketserver.UDPServer):
    allow_reuse_address = True
    max_packet_size = 65536  # socketserver's 8192 would cut big records


def main():
    global out
    kind, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    out = open(path, "a", encoding="utf-8")
    cap = Capture()
    cap.setFormatter(logging.Formatter(FORMAT))
    top = logging.getLogger("received")
    top.addHandler(cap)
    top.setLevel(1)
    top.propagate = False
    if kind == "udp":
        server = UDPServer(("127.0.0.1", port), PickleDatagram)
    else:
        server = TCPServer(("127.0.0.1", port), LineStream if kind == "lines" else PickleStream)
    if len(sys.argv) > 4:
        tmp = sys.argv[4] + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(tmp, sys.argv[4])
    server.serve_forever()


if __name__ == "__main__":
    main()
