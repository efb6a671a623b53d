"""Independent reading and receiving of the node's HL7 v2 messages with Debian's python3-hl7.

  python3 hl7_probe.py parse FILE...   prints one JSON object per file: every segment's fields as python-hl7
                                       parses them (repetitions, components, subcomponents), values unescaped.
  python3 hl7_probe.py serve CODE...   an hl7.mllp server on 127.0.0.1, port from the OS (printed first as
                                       "PORT n"); answers the k-th message with the k-th CODE (the last one
                                       repeats) and prints each message received as one JSON line
                                       {"ack": CODE, "control_id": MSH-10, "message": text}.
"""
import asyncio
import json
import sys

import hl7
import hl7.mllp


def unescaped(msg, value):
    return msg.unescape(str(value))


def subs_of(msg, comp):
    if isinstance(comp, str):
        return [unescaped(msg, comp)]
    return [unescaped(msg, s) for s in comp]


def comps_of(msg, rep):
    if isinstance(rep, str):
        return [[unescaped(msg, rep)]]
    return [subs_of(msg, c) for c in rep]


def reps_of(msg, field):
    if isinstance(field, str):
        return [[[unescaped(msg, field)]]]
    items = list(field)
    if items and all(isinstance(i, hl7.Repetition) for i in items):
        return [comps_of(msg, r) for r in items]
    return [comps_of(msg, field)]


def fields(msg):
    # Each field: a list of repetitions, each a list of components, each a list of subcomponents (unescaped).
    out = []
    for segment in msg:
        name = str(segment[0])
        seg = {"name": name, "fields": {}}
        for i in range(1, len(segment)):
            if name == "MSH" and i <= 2:
                seg["fields"][str(i)] = [[[str(segment[i])]]]
            else:
                seg["fields"][str(i)] = reps_of(msg, segment[i])
        out.append(seg)
    return out


def parse(paths):
    result = {}
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
        msg = hl7.parse(text)
        result[path] = {"segments": fields(msg), "control_id": str(msg.segment("MSH")[10]), "charset": str(msg.segment("MSH")[18])}
    json.dump(result, sys.stdout, ensure_ascii=False)


async def serve(codes):
    count = 0

    async def on_client(reader, writer):
        nonlocal count
        try:
            while not reader.at_eof():
                msg = await reader.readmessage()
                code = codes[min(count, len(codes) - 1)]
                count += 1
                print(json.dumps({"ack": code, "control_id": str(msg.segment("MSH")[10]), "message": str(msg)}, ensure_ascii=False), flush=True)
                writer.writemessage(msg.create_ack(code))
                await writer.drain()
        except asyncio.IncompleteReadError:
            pass
        finally:
            writer.close()

    server = await hl7.mllp.start_hl7_server(on_client, "127.0.0.1", 0, encoding="utf-8")
    print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if sys.argv[1] == "parse":
    parse(sys.argv[2:])
else:
    asyncio.run(serve(sys.argv[2:]))
