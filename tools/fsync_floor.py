#!/usr/bin/env python3
"""The write+fsync floor for tools/bench_network.sh: copies every file of SOURCE into DEST one by one, each written
whole, fsynced and closed before the next, then fsyncs DEST once. No network, no parsing: what any receiver that makes
each instance durable before answering pays on this disk at the least (a receiver also fsyncs its folders; this loop
pays that once)."""
import os
import sys


def main() -> None:
    source, dest = sys.argv[1], sys.argv[2]
    os.makedirs(dest, exist_ok=True)
    for name in sorted(os.listdir(source)):
        with open(os.path.join(source, name), "rb") as f:
            data = f.read()
        fd = os.open(os.path.join(dest, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    folder = os.open(dest, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


if __name__ == "__main__":
    main()
