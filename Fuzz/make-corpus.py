#!/usr/bin/env python3
"""Writes the committed seed corpus of CodecFuzzer into Fuzz/corpus/.

Each file is one fuzz input: a control byte (bits 0-2 the read sizes, bit 3 the append overload, bit 4 drain
after every read, bit 5 also decode through the copying path; see Plan.swift), then a byte stream of frames
(2-byte big-endian length, then the payload). Run it again after changing it; the output is deterministic.
"""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")

# Control bytes: whole stream, 1-byte reads, 1..3, 1..16, 1..512 raw memory, edge sizes, copying path.
WHOLE, BYTES, TINY, SMALL, MEDIUM_RAW, EDGES, COPY = 0x00, 0x11, 0x02, 0x13, 0x0C, 0x16, 0x20


def frame(payload):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    elif not isinstance(payload, bytes):
        payload = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    assert len(payload) <= 0xFFFF
    return struct.pack(">H", len(payload)) + payload


def pydumps(obj):
    """What a Python client sends: json.dumps with its default ASCII escapes and spaces."""
    return frame(json.dumps(obj).encode("ascii"))


def seed(name, control, *frames):
    with open(os.path.join(OUT, name), "wb") as handle:
        handle.write(bytes([control]) + b"".join(frames))


def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        os.remove(os.path.join(OUT, old))

    # Every client packet, base and extended.
    seed("client-base", WHOLE,
         frame({"type": "hello", "nick": "pat"}), frame({"type": "chat", "message": "hows it going"}))
    seed("client-extended", SMALL,
         frame({"type": "hello", "nick": "chris", "features": ["dm", "emote", "who", "rooms", "info", "x"]}),
         frame({"type": "dm", "to": "pat", "message": "hi"}),
         frame({"type": "emote", "message": "goes out to buy some snacky cakes"}),
         frame({"type": "who"}), frame({"type": "join", "room": "Games"}), frame({"type": "leave"}),
         frame({"type": "rooms"}))
    # Every server packet.
    seed("server-base", BYTES,
         frame({"type": "join", "nick": "leslie"}), frame({"type": "chat", "nick": "pat", "message": "yo"}),
         frame({"type": "leave", "nick": "chris"}))
    seed("server-extended", MEDIUM_RAW,
         frame({"type": "join", "nick": "leslie", "room": "games"}),
         frame({"type": "leave", "nick": "leslie", "room": None}),
         frame({"type": "error", "code": "no_such_nick", "message": "no such user: chris"}),
         frame({"type": "info", "message": "welcome"}),
         frame({"type": "dm", "nick": "pat", "to": "chris", "message": "how's it going?"}),
         frame({"type": "emote", "nick": "pat", "message": "waves"}),
         frame({"type": "who", "room": "lobby", "nicks": ["chris", "leslie", "pat"]}),
         frame({"type": "rooms", "rooms": [{"name": "games", "count": 2}, {"name": "lobby", "count": 5}]}))
    seed("server-downgraded", COPY,
         frame({"type": "chat", "nick": "pat -> chris", "message": "psst"}),
         frame({"type": "chat", "nick": "*", "message": "pat goes out"}),
         frame({"type": "future", "what": [1, 2, {"x": None}]}))

    # Splits: a header alone, a header split from its body, a frame split mid-UTF-8 sequence.
    session = [frame({"type": "hello", "nick": "Zoë"}), frame({"type": "chat", "message": "héllo 👋"})] * 3
    seed("split-every-byte", BYTES, *session)
    seed("split-tiny", TINY, *session)
    seed("split-edges", EDGES, *session)
    seed("half-header", WHOLE, frame({"type": "who"}), b"\x00")
    seed("half-body", SMALL, frame({"type": "who"}), b"\x00\x40" + b'{"type":"chat","mess')

    # Framing extremes.
    seed("zero-length", WHOLE, b"\x00\x00", frame({"type": "leave"}), b"\x00\x00")
    seed("max-header-short-body", BYTES, b"\xff\xff" + b'{"type":"chat","message":"')
    text = "x" * (0xFFFF - len('{"type":"chat","message":""}'))
    seed("max-payload", EDGES, frame({"type": "chat", "message": text}), frame({"type": "who"}))

    # Bad bytes and bad JSON.
    seed("invalid-utf8", SMALL,
         frame(b'{"type":"chat","message":"\xff\xfe"}'),
         frame(b'{"type":"chat","message":"\xc0\xaf"}'),         # overlong "/"
         frame(b'{"type":"chat","message":"\xed\xa0\x80"}'),     # a surrogate encoded as UTF-8
         frame(b'{"type":"chat","message":"\xe2\x82"}'))          # truncated sequence
    seed("surrogate-escapes", WHOLE,
         frame(r'{"type":"chat","message":"\ud800"}'),
         frame(r'{"type":"chat","message":"\udc00\ud800"}'),
         frame(r'{"type":"chat","message":"\ud800\u0041"}'),
         frame(r'{"type":"chat","message":"\ud83d\ude00"}'))
    seed("deep-nesting", COPY | 0x01,
         frame("[" * 40 + "]" * 40), frame('{"type":"chat","message":"a","x":' + '{"a":' * 40 + "1" + "}" * 41),
         frame('{"type":"who","x":' + "[" * 31 + "]" * 31 + "}"))
    seed("not-objects", TINY,
         *[frame(p) for p in ["[]", '"chat"', "1", "null", "true", "{}", '{"type":null}', " ", "{", '{"type":"who"}x']])
    seed("wrong-field-types", WHOLE,
         frame('{"type":1}'), frame('{"type":"chat","message":5}'),
         frame('{"type":"hello","nick":"a","features":"dm"}'), frame('{"type":"hello","nick":"a","features":[1]}'),
         frame('{"type":"who","room":"lobby","nicks":null}'),
         frame('{"type":"rooms","rooms":[{"name":"a","count":1.5}]}'),
         frame('{"type":"join","nick":"a","room":7}'))

    # Text that must be escaped, sanitized or rejected.
    seed("python-dumps", SMALL,
         pydumps({"type": "hello", "nick": "Zoë", "features": ["dm"]}),
         pydumps({"type": "chat", "message": "tab\there \"quoted\" back\\slash é 😀 \x00\x1b[31m\x7f"}),
         pydumps({"type": "dm", "to": "İstanbul", "message": "line\nbreak\r\b\f/"}))
    seed("escapes", WHOLE,
         frame(r'{"type":"chat","message":"\b\f\r\n\t\/\\\"\u0000\u001F\u00e9\uFFFF"}'),
         frame(r'{"type":"chat","message":"\x"}'), frame(r'{"type":"chat","message":"\u12"}'))
    seed("format-characters", COPY,
         frame({"type": "chat", "nick": "pat\u202e", "message": "\u200b\u2028\u2029\u00ad\ufeff\U000e0001\u0085"}),
         frame({"type": "info", "message": "\x1b]0;title\x07\x9b2J"}))
    seed("nicks", BYTES,
         frame({"type": "hello", "nick": "a" * 32}), frame({"type": "hello", "nick": "a" * 33}),
         frame({"type": "hello", "nick": "\u0301e"}), frame({"type": "hello", "nick": "e\u0301[]{}|^_-."}),
         frame({"type": "hello", "nick": ""}), frame({"type": "hello", "nick": "中文ниκ٣"}),
         frame({"type": "who", "room": "lobby", "nicks": ["Pat", "pat", "İ", "i\u0307", "ß", "SS"]}))
    seed("numbers", SMALL,
         frame('{"type":"rooms","rooms":[{"name":"a","count":1e2},{"name":"b","count":-0},'
               '{"name":"c","count":9e18},{"name":"d","count":1E400},{"count":0,"name":"e"}]}'),
         frame('{"type":"rooms","rooms":[{"name":"a","count":01}]}'),
         frame('{"type":"rooms","rooms":[{"name":"a","count":-}]}'))
    seed("whitespace-and-duplicates", WHOLE,
         frame(' \t\r\n{ "type" : "chat" , "message" : "a" , "message" : "b" } \n'),
         frame('{"type":"chat","type":"who"}'))
    seed("expanding-escapes", EDGES,
         frame('{"type":"chat","message":"' + "\\b" * 30000 + '"}'))


if __name__ == "__main__":
    main()
