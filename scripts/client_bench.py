#!/usr/bin/env python3
"""The curses client under a flood: CPU, keystroke echo delay and memory (issue 11, Performance).

A real chat-server (no rate limit) on loopback, a flooding sender speaking the protocol (2-byte big-endian
length + JSON) at RATE lines/s into the lobby, and chat-client on a pseudo-terminal (TERM=xterm-256color,
80x24) joined to the same room. While the flood runs, a distinct character is typed every KEY_INTERVAL
seconds (Greek letters, which nothing else on the screen contains; Ctrl-U clears the line every 12 keys so
a letter is never on screen twice), and the time from writing it into the pty to its bytes appearing in the
client's output is its echo delay. The client's CPU is utime+stime from /proc/PID/stat over the measured
part of the run, as a share of one core; RSS is read from /proc/PID/status before the flood, after 10,000
lines and at the end.

Prints a summary and one JSON line. --smoke: a short run that checks only that it works (keys echoed, the
flood's last line shown, no disconnect), with no speed assertions.
"""

import argparse
import json
import os
import random
import re
import select
import socket
import struct
import subprocess
import sys
import threading
import time

LETTERS = [chr(c) for c in range(0x3B1, 0x3CA) if c != 0x3C2]  # α..ω without the final sigma: 24 letters
CLEAR_EVERY = 12
END_MARKER = "zzzfloodendzzz"


def frame(packet):
    payload = json.dumps(packet, separators=(",", ":")).encode()
    return struct.pack(">H", len(payload)) + payload


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(binary, port):
    server = subprocess.Popen(
        [binary, str(port), "--host", "127.0.0.1", "--rate", "0", "--backfill", "0", "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    sys.exit("client-bench: the server did not listen within 10 s")


def flood(port, rate, duration):
    """The sender, in a process of its own so that it does not share a GIL with the timing."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(frame({"type": "hello", "nick": "flood"}))
    stop = threading.Event()

    def drain():  # the server echoes every line to its sender too: read it, or be dropped as slow
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                if not sock.recv(1 << 16):
                    return
            except socket.timeout:
                continue
            except OSError:
                return

    threading.Thread(target=drain, daemon=True).start()
    time.sleep(0.2)
    # Lines that differ all along (as real chat does), so curses cannot get away with redrawing a few digits.
    words = "the quick brown fox jumps over lazy dog pack my box with five dozen liquor jugs sphinx of black " \
        "quartz judge vow how vexingly daft zebras".split()
    chooser = random.Random(1)
    texts = [" ".join(chooser.choice(words) for _ in range(chooser.randint(4, 12))) + " " for _ in range(997)]
    sent = 0
    began = time.monotonic()
    while True:
        elapsed = time.monotonic() - began
        if elapsed >= duration:
            break
        due = int(rate * elapsed) - sent
        if due > 0:
            sock.sendall(b"".join(frame({"type": "chat", "message": texts[(sent + i) % 997] + str(sent + i)}) for i in range(due)))
            sent += due
        time.sleep(0.005)
    sock.sendall(frame({"type": "chat", "message": END_MARKER}))
    print(json.dumps({"sent": sent, "seconds": time.monotonic() - began}), flush=True)
    time.sleep(1)
    stop.set()
    sock.close()


class Screen:
    """Reads the client's pty output and notes when each typed letter first appears in it."""

    def __init__(self, fd):
        self.fd = fd
        self.lock = threading.Lock()
        self.pending = []  # [letter bytes, time written]
        self.delays = []
        self.seen = bytearray()  # everything, for the ready/end checks (bounded below)
        self.total = 0
        self.closed = False
        threading.Thread(target=self.read, daemon=True).start()

    def typed(self, letter, when):
        with self.lock:
            self.pending.append([letter.encode(), when])

    def read(self):
        tail = b""
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                chunk = b""
            now = time.monotonic()
            if not chunk:
                self.closed = True
                return
            self.total += len(chunk)
            window = tail + chunk
            with self.lock:
                for entry in list(self.pending):
                    if entry[0] in window:
                        self.delays.append(now - entry[1])
                        self.pending.remove(entry)
                self.seen += chunk
                if len(self.seen) > 1 << 20:
                    del self.seen[: len(self.seen) - (1 << 19)]
            tail = chunk[-1:]

    def wait_for(self, needle, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if needle in self.seen:
                    return True
            time.sleep(0.02)
        return False


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def memory(pid, key):
    with open(f"/proc/{pid}/status") as status:
        match = re.search(rf"^{key}:\s+(\d+) kB", status.read(), re.M)
    return int(match.group(1)) if match else 0


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def run(args):
    import fcntl
    import termios

    port = free_port()
    server = start_server(args.server, port)
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("NO_COLOR", None)
    client = subprocess.Popen([args.client, "pat", "127.0.0.1", str(port)], stdin=slave, stdout=slave,
                              stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    screen = Screen(master)
    result = {"rate": args.rate, "duration": args.duration}
    try:
        if not screen.wait_for(b"Welcome", 15):
            sys.exit("client-bench: the client did not join within 15 s")
        result["rss_start_kib"] = memory(client.pid, "VmRSS")
        sender = subprocess.Popen([sys.executable, __file__, "--flood", str(port), str(args.rate),
                                   str(args.duration)], stdout=subprocess.PIPE, text=True)
        flood_began = time.monotonic()
        time.sleep(args.warmup)
        ticks, began = cpu_ticks(client.pid), time.monotonic()
        keys = 0
        rss_checked = False
        series, next_sample = [], flood_began + 10
        next_key = began
        while time.monotonic() - flood_began < args.duration - 0.1:
            now = time.monotonic()
            if not rss_checked and (now - flood_began) * args.rate >= 10_000 + args.rate * 0.5:
                result["rss_10k_kib"] = memory(client.pid, "VmRSS")
                rss_checked = True
            if now >= next_sample:  # RSS every 10 s, to see whether it levels off
                series.append(memory(client.pid, "VmRSS"))
                next_sample += 10
            if now < next_key:
                time.sleep(min(next_key - now, 0.005))
                continue
            next_key += args.key_interval
            if keys and keys % CLEAR_EVERY == 0:
                os.write(master, b"\x15")  # Ctrl-U
            letter = LETTERS[keys % len(LETTERS)]
            screen.typed(letter, time.monotonic())
            os.write(master, letter.encode())
            keys += 1
        elapsed = time.monotonic() - began
        used = cpu_ticks(client.pid) - ticks
        sent = json.loads(sender.communicate(timeout=30)[0])
        result["lines_sent"] = sent["sent"]
        result["lines_per_s"] = round(sent["sent"] / sent["seconds"])
        result["cpu_percent"] = round(100 * used / os.sysconf("SC_CLK_TCK") / elapsed, 1)
        result["shown_end"] = screen.wait_for(END_MARKER.encode(), 15)
        time.sleep(0.3)
        result["rss_end_kib"] = memory(client.pid, "VmRSS")
        result["rss_peak_kib"] = memory(client.pid, "VmHWM")
        result["rss_every_10s_kib"] = series
        with screen.lock:
            delays = list(screen.delays)
            result["disconnected"] = b"disconnected" in screen.seen
        result["keys"] = keys
        result["echoed"] = len(delays)
        result["echo_p50_ms"] = round(1000 * percentile(delays, 0.5), 1)
        result["echo_p99_ms"] = round(1000 * percentile(delays, 0.99), 1)
        result["echo_max_ms"] = round(1000 * max(delays), 1) if delays else float("nan")
        result["pty_bytes_per_s"] = round(screen.total / (time.monotonic() - flood_began))
        os.write(master, b"\x15/q\r")
        try:
            result["exit"] = client.wait(timeout=10)
        except subprocess.TimeoutExpired:
            result["exit"] = "timeout"
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
        server.terminate()
        server.wait()
        os.close(master)
    return result


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--flood":
        flood(int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--client", required=True)
    parser.add_argument("--rate", type=float, default=5000, help="flood lines per second (default 5000)")
    parser.add_argument("--duration", type=float, default=20, help="seconds of flood (default 20)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of flood before measuring (default 2)")
    parser.add_argument("--key-interval", type=float, default=0.02, help="seconds between keys (default 0.02)")
    parser.add_argument("--smoke", action="store_true", help="short run, checks only that it works")
    parser.add_argument("--label", default="", help="a name for this build in the output")
    args = parser.parse_args()
    if args.smoke:
        args.rate, args.duration, args.warmup = 2000, 4, 1
    result = run(args)
    result["label"] = args.label
    print(f"client-bench{' ' + args.label if args.label else ''}: {result['lines_per_s']} lines/s for "
          f"{args.duration:g} s: client CPU {result['cpu_percent']} % of one core, echo p50 "
          f"{result['echo_p50_ms']} ms p99 {result['echo_p99_ms']} ms max {result['echo_max_ms']} ms "
          f"({result['echoed']}/{result['keys']} keys), RSS {result['rss_start_kib']} KiB before, "
          f"{result.get('rss_10k_kib', '?')} KiB after 10,000 lines, {result['rss_end_kib']} KiB at the end "
          f"(peak {result['rss_peak_kib']} KiB)")
    print(json.dumps(result))
    problems = []
    if result["echoed"] < result["keys"] * 0.9:
        problems.append(f"only {result['echoed']} of {result['keys']} keys echoed")
    if not result["shown_end"]:
        problems.append("the flood's last line never showed")
    if result["disconnected"]:
        problems.append("the client was disconnected")
    if result["exit"] != 0:
        problems.append(f"the client exited with {result['exit']} after /q")
    if problems:
        sys.exit("client-bench: FAILED: " + "; ".join(problems))


if __name__ == "__main__":
    main()
