#!/usr/bin/env python3
"""Paired ingest benchmark for docs/benchmarks.md: one association, storescu -R +sd, DCMTK storescp against
`minigptmed serve --flush on|off`, the write+fsync floor and (optionally) Orthanc, on a disk whose speed changes
within seconds.

tools/bench_network.sh times whole 500-slice series, one receiver after another, each started fresh: on the shared
VM of docs/benchmarks.md the disk's speed moved by 3-4x between two of those runs, so a single ratio could land
anywhere between 0.04x and 1.9x. Here the receivers are started once, warmed once, and kept running; the series is
cut into chunks of CHUNK instances, and every chunk goes to all receivers back to back (sync and a short pause before
each, the order rotating from chunk to chunk), so that the two times of a ratio are seconds apart, not minutes. Each
receiver's time for a chunk is read from the files it wrote: the span between the modification times of the chunk's
first and last instance, i.e. CHUNK - 1 whole receive cycles (the last write of an instance, then its fsync, rename,
catalogue row and response, then the next instance's arrival), without storescu's start-up and association set-up.
Every instance has UIDs of its own (a 2,000-slice series, ROUNDS x 500 of it used), so no receiver sees a re-send.

Usage: /usr/bin/python3 tools/bench_paired.py [--rounds 4] [--chunk 50] [--pause 0.3] [--receivers LIST]
LIST: comma-separated, the first is the reference of the ratios (default storescp,node-flush,node-noflush,floor);
a name may repeat with a suffix (node-flush,node-flush#2: an A/A run, what the method itself resolves). `orthanc` is
Debian's Orthanc (/usr/sbin/Orthanc) with its shipped defaults (SyncStorageArea: each file flushed before the
answer; its SQLite index; 16 KiB PDUs) and a configuration of its own for the folders, the port and the AE title.
Environment: NODE_BIN (default: the Release build), NODE_BIN_<suffix> for the receivers with that suffix (an A/B
run of two builds: NODE_BIN_b=... --receivers node-flush,node-flush#b), BENCH_DIR (default
/tmp/minigptmed-network-bench).
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import pydicom

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ("storescp", "node-flush", "node-noflush", "floor", "orthanc")
DEFAULT = "storescp,node-flush,node-noflush,floor"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, process):
    for _ in range(400):
        if process.poll() is not None:
            sys.exit(f"receiver on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"nothing listens on port {port}")


def make_series(work, name, *args):
    path = os.path.join(work, name)
    if not os.path.isdir(path):
        subprocess.run([sys.executable, os.path.join(REPO, "tools", "make_ct_series.py"), path, *args], check=True)
    return path


def storescu(port, source):
    subprocess.run(["storescu", "-R", "+sd", "-aec", "STORESCP", "127.0.0.1", str(port), source],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def orthanc_config(data, port):
    """A configuration file for Orthanc in DATA: its folders, the DICOM port, AE title STORESCP, the HTTP server on a
    free loopback port, no plugins; everything else as shipped."""
    config = os.path.join(data, "orthanc.json")
    with open(config, "w") as f:
        json.dump({"Name": "bench", "StorageDirectory": os.path.join(data, "storage"),
                   "IndexDirectory": os.path.join(data, "index"), "DicomAet": "STORESCP", "DicomPort": port,
                   "HttpPort": free_port(), "RemoteAccessAllowed": False, "AuthenticationEnabled": False,
                   "Plugins": [], "SaveJobs": False}, f)
    return config


def io_pressure():
    """The share of the last 10 s in which some task waited for I/O (PSI), or None where the kernel has no PSI."""
    try:
        with open("/proc/pressure/io") as f:
            return float(f.readline().split()[1].split("=")[1])
    except (OSError, IndexError, ValueError):
        return None


def wait_for_quiet_disk(limit=120):
    """After the warm-ups' gigabyte (and any deletion before the run) the disk writes back for a while: start when it
    has been idle, at most LIMIT seconds later."""
    subprocess.run(["sync"], check=True)
    deadline = time.monotonic() + limit
    while (pressure := io_pressure()) is not None and pressure > 1.0 and time.monotonic() < deadline:
        time.sleep(2)
    return pressure


def link_chunks(source, names, size, parent):
    """Folders of SIZE symbolic links each to NAMES in SOURCE (one storescu +sd each): [(folder, its names)]."""
    chunks = []
    for i in range(0, len(names), size):
        folder = os.path.join(parent, str(len(chunks)))
        os.makedirs(folder)
        for name in names[i:i + size]:
            os.symlink(os.path.join(source, name), os.path.join(folder, name))
        chunks.append((folder, names[i:i + size]))
    return chunks


def quartiles(values):
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return q[0], statistics.median(values), q[2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=4, help="500-slice rounds, at most 4 (default 4)")
    parser.add_argument("--chunk", type=int, default=50, help="instances per chunk (default 50)")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds after sync before each chunk (default 0.3)")
    parser.add_argument("--receivers", default=DEFAULT, help="the first is the reference of the ratios")
    args = parser.parse_args()
    receivers = args.receivers.split(",")
    kind = {name: name.split("#")[0] for name in receivers}
    if len(set(receivers)) != len(receivers) or any(k not in KINDS for k in kind.values()) or len(receivers) < 2:
        sys.exit(f"--receivers: two or more distinct names of {', '.join(KINDS)}, each optionally with a #suffix")
    reference = receivers[0]
    if not 1 <= args.rounds <= 4 or args.chunk < 2 or 500 % args.chunk:
        sys.exit("--rounds 1..4, --chunk a divisor of 500 of at least 2")

    work = os.environ.get("BENCH_DIR", "/tmp/minigptmed-network-bench")
    node = os.environ.get("NODE_BIN", os.path.join(REPO, "src/MiniGptMed.DicomNode/bin/Release/net10.0/minigptmed"))
    os.makedirs(work, exist_ok=True)
    series = make_series(work, "ct2000", "--slices", "2000")
    warm2000 = make_series(work, "warm2000", "--slices", "2000", "--size", "64")
    warm50 = make_series(work, "warm50", "--slices", "50")

    # The warm-up: the small series over 40 associations of 50 instances (the JIT promotes a method after 30 calls, and
    # the per-association code is called once per association), then the 50 full-size slices twice.
    out = tempfile.mkdtemp(prefix="paired.", dir=work)
    warm_ups = [folder for folder, _ in link_chunks(warm2000, sorted(os.listdir(warm2000)), 50,
                                                    os.path.join(out, "warm"))]
    warm_ups += [warm50, warm50]

    files = sorted(os.listdir(series))[: args.rounds * 500]
    sop = {f: pydicom.dcmread(os.path.join(series, f), stop_before_pixels=True).SOPInstanceUID for f in files}
    chunks = link_chunks(series, files, args.chunk, os.path.join(out, "chunks"))

    os.environ["TCP_NODELAY"] = "1"  # DCMTK reads it, storescu included; our sockets always set it
    env = dict(os.environ, MINIGPTMED_Admin__Url="http://127.0.0.1:0",
               MINIGPTMED_Assembly__StableSeconds="3600", MINIGPTMED_Assembly__MaxWaitSeconds="7200")
    ports, processes = {}, {}
    try:
        for name in (r for r in receivers if kind[r] != "floor"):
            port, data = free_port(), os.path.join(out, name)
            os.makedirs(data)
            if kind[name] == "storescp":
                command = ["storescp", "+B", "-pdu", "131072", "-aet", "STORESCP", "-od", data, str(port)]
            elif kind[name] == "orthanc":
                command = ["/usr/sbin/Orthanc", orthanc_config(data, port)]
            else:
                binary = os.environ.get(f"NODE_BIN_{name.partition('#')[2]}", node)
                command = [binary, "serve", "--port", str(port), "--aet", "STORESCP", "--data", data,
                           "--flush", "on" if kind[name] == "node-flush" else "off"]
            processes[name] = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_port(port, processes[name])
            ports[name] = port
            for source in warm_ups:
                storescu(port, source)

        pressure = wait_for_quiet_disk()
        print(f"start: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
              f"{'' if pressure is None else f', I/O pressure {pressure:.1f}%'}", flush=True)
        for index, (folder, _) in enumerate(chunks):
            turn = index % len(receivers)
            for name in receivers[turn:] + receivers[:turn]:
                subprocess.run(["sync"], check=True)
                time.sleep(args.pause)
                if kind[name] == "floor":
                    subprocess.run([sys.executable, os.path.join(REPO, "tools", "fsync_floor.py"), folder,
                                    os.path.join(out, name, str(index))], check=True)
                else:
                    storescu(ports[name], folder)
        print(f"end:   {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}", flush=True)
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait()

    # Where each receiver put an instance: storescp as <modality>.<SOP Instance UID>, the node under
    # instances/<study>/<series>/<SOP Instance UID>.dcm (builds before that layout: <SOP Instance UID>.dcm anywhere in
    # their data folder but .incoming, so an older build can be a NODE_BIN_<suffix>), Orthanc under a name of its own
    # in storage/ (the file is read for its SOP Instance UID), the floor under the source's name in the chunk's folder.
    where = {name: {} for name in receivers}
    for name in (r for r in receivers if kind[r] != "floor"):
        for root, _, names in os.walk(os.path.join(out, name)):
            for n in names:
                if kind[name] == "storescp" and "." in n:
                    where[name][n.split(".", 1)[1]] = os.path.join(root, n)
                elif kind[name] == "orthanc" and "/storage" in root:
                    path = os.path.join(root, n)
                    where[name][pydicom.dcmread(path, stop_before_pixels=True).SOPInstanceUID] = path
                elif kind[name].startswith("node") and n.endswith(".dcm") and "/.incoming" not in root:
                    where[name][n[:-4]] = os.path.join(root, n)

    spans = {name: [] for name in receivers}
    for index, (_, names) in enumerate(chunks):
        for name in receivers:
            if kind[name] == "floor":
                paths = [os.path.join(out, name, str(index), f) for f in names]
            else:
                missing = [f for f in names if sop[f] not in where[name]]
                if missing:
                    sys.exit(f"{name}: {len(missing)} instances of chunk {index} not stored")
                paths = [where[name][sop[f]] for f in names]
            times = sorted(os.stat(p).st_mtime_ns for p in paths)
            spans[name].append((times[-1] - times[0]) / 1e9)
        print(f"chunk {index:2}: " + " ".join(f"{name}={spans[name][-1] / (args.chunk - 1) * 1000:.2f}"
                                            for name in receivers) + " ms/instance")

    n = args.chunk - 1
    print(f"\n{len(chunks)} chunks of {args.chunk} instances, one association each; per-instance cycle from file times")
    print(f"{'receiver':<16}{'ms/instance (q1 median q3)':>30}{f'vs {reference} (q1 median q3)':>36}{'pooled':>9}"
          f"{'faster':>9}")
    for name in receivers:
        cycle = quartiles([s / n * 1000 for s in spans[name]])
        ratios = [a / b for a, b in zip(spans[reference], spans[name])]
        ratio = quartiles(ratios)
        pooled = sum(spans[reference]) / sum(spans[name])
        faster = sum(1 for r in ratios if r > 1)
        print(f"{name:<16}{cycle[0]:>12.2f}{cycle[1]:>9.2f}{cycle[2]:>9.2f}"
              f"{ratio[0]:>19.2f}x{ratio[1]:>7.2f}x{ratio[2]:>7.2f}x{pooled:>8.2f}x{faster:>6} of {len(chunks)}")
    if reference == "storescp" and "node-flush" in receivers:
        better = sum(1 for a, b in zip(spans["storescp"], spans["node-flush"]) if a / b >= 0.5)
        print(f"node-flush at 0.5x of storescp or better in {better} of {len(chunks)} chunks")
    shutil.rmtree(out)


if __name__ == "__main__":
    main()
