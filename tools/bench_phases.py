#!/usr/bin/env python3
"""Where one association's receive cycle goes, for docs/benchmarks.md: storescu -R +sd to DCMTK storescp and to
`minigptmed serve --flush on|off`, each receiver warmed as tools/bench_paired.py warms it, then one chunk of CT slices
(UIDs of their own) sent to each under tcpdump on the loopback. From the packets, per instance:
  wake        the receiver's C-STORE-RSP to storescu's next packet (storescu waking up and starting the next request);
  prep        storescu's command to the first P-DATA of the data set (storescu reading and encoding the file);
  transfer    the data set's P-DATA-TF PDUs, first to last (both ends: storescu writing, the receiver reading and storing);
  turnaround  storescu's last packet to the receiver's response (what the receiver does once it has the whole data set:
              checks, seal and fsync with flush, rename, catalogue row, response).
Medians of each, and the tail of the turnaround (90th and 99th percentile, maximum, how many over 3 ms).

--fsyncs instead runs each receiver under strace -f -e trace=fsync,fdatasync and prints, per thread name, how many
fsync calls it made while receiving the chunk and how long they took (e.g. whether the receiving association's thread,
"DICOM [...]", pays for anything but its own files).

Usage: /usr/bin/python3 tools/bench_phases.py [--receivers LIST] [--chunk 300] [--first 0] [--fsyncs]
LIST: comma-separated names of storescp, node-flush, node-noflush, each optionally with a #suffix whose build is
NODE_BIN_<suffix> (default storescp,node-flush,node-noflush); --first: the first slice of the 2,000-slice series to use
(each receiver gets the next --chunk slices). Needs tcpdump (or strace), storescu, storescp; root for tcpdump.
"""
import argparse
import collections
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import bench_paired as paired

PACKET = re.compile(r"^(\d+\.\d+) IP (\S+) > (\S+): .* length (\d+)")
SYSCALL = re.compile(r"(\d+)\s+(fsync|fdatasync)\(.*<([\d.]+)>")


def phases(trace, port):
    """Per instance (wake, prep, transfer, turnaround) in ms, from a tcpdump text trace of one association."""
    runs = []  # alternating runs of payload packets: [side, first time, last time, bytes, packets]
    for line in open(trace):
        m = PACKET.match(line)
        if not m or int(m.group(4)) == 0:
            continue
        t, side, size = float(m.group(1)), "scp" if m.group(2).endswith(f".{port}") else "scu", int(m.group(4))
        if not runs or runs[-1][0] != side:
            runs.append([side, t, t, 0, []])
        runs[-1][2] = t
        runs[-1][3] += size
        runs[-1][4].append((t, size))
    cycles = []
    for before, request, response in zip(runs, runs[1:], runs[2:]):
        # A C-STORE: the receiver answered (before), storescu sent a command and a data set (request), the answer.
        if before[0] != "scp" or request[0] != "scu" or request[3] < 100_000:
            continue
        packets = request[4]
        first_data = next(i for i, (_, size) in enumerate(packets) if size > 1000)
        data_start = packets[first_data - 1][0] if first_data else packets[0][0]
        cycles.append(tuple(1000 * x for x in (request[1] - before[2], data_start - request[1],
                                               request[2] - data_start, response[1] - request[2])))
    return cycles


def report_phases(name, cycles):
    medians = [statistics.median(c[i] for c in cycles) for i in range(4)]
    turn = sorted(c[3] for c in cycles)
    at = lambda q: turn[min(len(turn) - 1, int(q * len(turn)))]
    print(f"{name:22} {len(cycles):4} {medians[0]:6.3f} {medians[1]:6.3f} {medians[2]:8.3f} {medians[3]:10.3f} "
          f"{sum(medians):7.3f}   {at(0.9):5.2f} {at(0.99):5.2f} {turn[-1]:6.2f} {sum(t > 3 for t in turn):5}")


def report_fsyncs(name, trace, threads):
    calls = collections.defaultdict(lambda: [0, 0.0])
    for line in open(trace):
        m = SYSCALL.match(line)
        if m:
            key = (threads.get(m.group(1), m.group(1)), m.group(2))
            calls[key][0] += 1
            calls[key][1] += float(m.group(3))
    for (thread, call), (count, seconds) in sorted(calls.items()) or [(("(none)", "fsync"), (0, 0.0))]:
        print(f"{name:22} {thread:24} {call:9} {count:5} calls {seconds * 1000:9.1f} ms")


def thread_names(pid):
    names = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                names[tid] = f.read().strip().split(" [")[0]
        except OSError:
            pass  # ended meanwhile
    return names


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--receivers", default="storescp,node-flush,node-noflush")
    parser.add_argument("--chunk", type=int, default=300)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--fsyncs", action="store_true")
    args = parser.parse_args()
    receivers = args.receivers.split(",")
    kind = {name: name.split("#")[0] for name in receivers}
    if any(k not in ("storescp", "node-flush", "node-noflush") for k in kind.values()) or len(set(receivers)) != len(receivers):
        sys.exit("--receivers: distinct names of storescp, node-flush, node-noflush, each optionally with a #suffix")
    if args.first + args.chunk * len(receivers) > 2000:
        sys.exit("--first + --chunk x receivers must stay within the 2,000-slice series")
    tool = "strace" if args.fsyncs else "tcpdump"
    if shutil.which(tool) is None:
        sys.exit(f"{tool} is not installed")

    work = os.environ.get("BENCH_DIR", "/tmp/minigptmed-network-bench")
    node = os.environ.get("NODE_BIN", os.path.join(paired.REPO, "src/MiniGptMed.DicomNode/bin/Release/net10.0/minigptmed"))
    os.makedirs(work, exist_ok=True)
    series = paired.make_series(work, "ct2000", "--slices", "2000")
    warm2000 = paired.make_series(work, "warm2000", "--slices", "2000", "--size", "64")
    warm50 = paired.make_series(work, "warm50", "--slices", "50")
    out = tempfile.mkdtemp(prefix="phases.", dir=work)
    warm_ups = [f for f, _ in paired.link_chunks(warm2000, sorted(os.listdir(warm2000)), 50, os.path.join(out, "warm"))]
    warm_ups += [warm50, warm50]
    files = sorted(os.listdir(series))[args.first:args.first + args.chunk * len(receivers)]
    chunks = [f for f, _ in paired.link_chunks(series, files, args.chunk, os.path.join(out, "chunks"))]

    os.environ["TCP_NODELAY"] = "1"
    env = dict(os.environ, MINIGPTMED_Admin__Url="http://127.0.0.1:0",
               MINIGPTMED_Assembly__StableSeconds="3600", MINIGPTMED_Assembly__MaxWaitSeconds="7200")
    if args.fsyncs:
        print(f"{'receiver':22} {'thread':24} {'call':9} fsyncs while receiving {args.chunk} CT slices")
    else:
        print(f"{'receiver':22} {'n':>4} {'wake':>6} {'prep':>6} {'transfer':>8} {'turnaround':>10} {'cycle':>7}   "
              f"turnaround: {'p90':>5} {'p99':>5} {'max':>6} >3ms   (ms, medians per instance)")
    try:
        for index, name in enumerate(receivers):
            port, data = paired.free_port(), os.path.join(out, name)
            os.makedirs(data)
            if kind[name] == "storescp":
                command = ["storescp", "+B", "-pdu", "131072", "-aet", "STORESCP", "-od", data, str(port)]
            else:
                command = [os.environ.get(f"NODE_BIN_{name.partition('#')[2]}", node), "serve", "--port", str(port),
                           "--aet", "STORESCP", "--data", data, "--flush", "on" if kind[name] == "node-flush" else "off"]
            process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                paired.wait_port(port, process)
                for source in warm_ups:
                    paired.storescu(port, source)
                paired.wait_for_quiet_disk()
                trace = os.path.join(out, f"{name}.txt")
                with open(trace, "w") as sink:
                    watch = (["strace", "-f", "-T", "-e", "trace=fsync,fdatasync", "-p", str(process.pid), "-o", trace]
                             if args.fsyncs else
                             ["tcpdump", "-i", "lo", "-n", "-tt", "-s", "96", "-B", "65536", f"tcp port {port}"])
                    watcher = subprocess.Popen(watch, stdout=None if args.fsyncs else sink, stderr=subprocess.DEVNULL)
                    time.sleep(1)
                    sender = subprocess.Popen(["storescu", "-R", "+sd", "-aec", "STORESCP", "127.0.0.1", str(port),
                                               chunks[index]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    # Thread names while the threads live (the association's goes with it).
                    threads = {}
                    while sender.poll() is None:
                        threads.update(thread_names(process.pid))
                        time.sleep(0.02)
                    if sender.returncode != 0:
                        sys.exit(f"storescu to {name} failed with {sender.returncode}")
                    time.sleep(0.3)
                    watcher.send_signal(signal.SIGINT)
                    watcher.wait()
            finally:
                process.terminate()
                process.wait()
            if args.fsyncs:
                report_fsyncs(name, trace, threads)
            else:
                report_phases(name, phases(trace, port))
    finally:
        shutil.rmtree(out)


if __name__ == "__main__":
    main()
