#!/usr/bin/python3
"""Generate the C# private data dictionary from DCMTK's and pydicom's private dictionaries.

Run with Debian's interpreter (it has pydicom):  /usr/bin/python3 tools/gen_private_dictionary.py

Sources (facts, not code, are taken from them):
  * pydicom's _private_dict.py (private_dictionaries, derived from GDCM's dictionary):
    {creator: {'0019xx60': (VR, VM, name, retired)}}. It is read FIRST: where both sources
    define the same (creator, group, element byte), pydicom's VR, VM and name win, because
    the corpus tests compare against pydicom. Keys come in three shapes:
      'ggggxxee' - the usual one: any block of group gggg;
      'ggxxxxee' - any group of the range ggxx (60xx, 70xx overlays and annotations);
      'ggggeeee' - an explicit element; taken by its low byte ee like the others (pydicom
                   itself would only match it literally, which no private data element can do
                   when eeee < 0x1000).
    Skipped (count printed): 'ggggxx'-style keys whose element byte is 'xx' (they describe the
    creator element itself, always LO) and entries in even groups (not private: PS3.5 7.8.1).
  * DCMTK's private.dic: lines '(gggg,"CREATOR",ee)<TAB>VR<TAB>Keyword<TAB>VM<TAB>PrivateTag'.
    Entries it alone defines are added; where both define one, DCMTK's keyword is kept as the
    keyword (pydicom has only names). Groups written as ranges '(6001-o-60ff,...)' (odd groups
    of 60xx) become 'any group ggxx'; any other range shape is skipped with a count. Elements
    written with four digits ('1010') are taken by their low byte. DCMTK's pseudo VRs map as
    in dicom.dic: ox -> "OB or OW", xs -> "US or SS", px (pixel sequence) -> OB.

The lookup key is (creator, group, element byte): PS3.5 7.8.1 lets a creator's block land at
any (gggg,xx00-xxFF), so the element byte ee identifies the element within the block.

Writes src/MiniGptMed.Dicom/Data/Generated/DicomPrivateDictionary.g.cs: one raw string table,
parsed on first lookup (a compact encoding that keeps the file well under 1 MiB):
  a line starting with '@' names the creator of the lines below it; every other line is
  'gggg<TAB>ee<TAB>VR<TAB>VM[<TAB>Keyword[<TAB>Name]]' (gggg may be 'ggxx' for a group range;
  without a Name, the name is the Keyword split at word boundaries; both are missing for the
  entries pydicom lists without a name).
"""

import os
import re
import sys
from collections import Counter

import pydicom
from pydicom._private_dict import private_dictionaries

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "MiniGptMed.Dicom", "Data", "Generated", "DicomPrivateDictionary.g.cs")
DCMTK_DIC = "/usr/share/libdcmtk17/private.dic"
MAX_BYTES = 1 << 20

DCMTK_VR = {"ox": "OB or OW", "xs": "US or SS", "lt": "US or SS or OW", "px": "OB", "up": "UL"}
PYDICOM_VR = {"OB_OW": "OB or OW", "US_SS": "US or SS", "US_SS_OW": "US or SS or OW"}
VALID_VR = {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "OB", "OD", "OF",
            "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN",
            "UR", "US", "UT", "UV"}

DCMTK_LINE = re.compile(r'^\((?P<group>[0-9A-Fa-f]{4}(?:-o-[0-9A-Fa-f]{4})?),"(?P<creator>[^"]*)",'
                        r'(?P<element>[0-9A-Fa-f]{2}|[0-9A-Fa-f]{4})\)$')


def split_keyword(keyword):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", keyword)


def keyword_of(name):
    words = re.split(r"[^0-9A-Za-z]+", name)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def creator_key(creator):
    # PS3.5 6.2: trailing spaces pad LO values; a trailing NUL appears in some files.
    return creator.rstrip(" \0")


def check_vr(vr, where):
    for part in vr.split(" or "):
        if part not in VALID_VR:
            raise SystemExit(f"unknown VR {vr!r} in {where}")
    return vr


def load_pydicom(entries, skipped):
    for creator, table in private_dictionaries.items():
        creator = creator_key(creator)
        for key, (vr, vm, name, _retired) in table.items():
            key = key.upper()
            if key[6:] == "XX":
                skipped["pydicom: element byte 'xx' (creator element itself)"] += 1
                continue
            if key[2:6] == "XXXX":
                group = key[:2] + "xx"
            elif key[4:6] == "XX" or re.fullmatch(r"[0-9A-F]{8}", key):
                group = key[:4]
            else:
                skipped[f"pydicom: unrecognised key shape {key}"] += 1
                continue
            if group[3] != "x" and int(group, 16) % 2 == 0:
                skipped["pydicom: even (public) group"] += 1
                continue
            vr = check_vr(PYDICOM_VR.get(vr, vr), f"pydicom {creator} {key}")
            entries[(creator, group, key[6:])] = [vr, vm, keyword_of(name), name]


def load_dcmtk(entries, skipped):
    added = kept = disagree = 0
    for line in open(DCMTK_DIC, encoding="latin-1"):
        if line.startswith("#") or not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        match = DCMTK_LINE.match(fields[0])
        if match is None or len(fields) < 4:
            skipped["dcmtk: unparsed line"] += 1
            continue
        group = match["group"].upper()
        if "-O-" in group:
            low, high = group.split("-O-")
            if low[:2] != high[:2] or low[2:] != "01" or high[2:] != "FF":
                skipped["dcmtk: group range other than gg01-o-ggff"] += 1
                continue
            group = low[:2] + "xx"
        elif int(group, 16) % 2 == 0:
            skipped["dcmtk: even (public) group"] += 1
            continue
        vr, keyword, vm = fields[1], fields[2], fields[3]
        vr = check_vr(DCMTK_VR.get(vr, vr), f"dcmtk {line.strip()}")
        key = (creator_key(match["creator"]), group, match["element"].upper()[-2:])
        if key in entries:
            if entries[key][0] != vr:
                disagree += 1
            if keyword != "Unknown":
                entries[key][2] = keyword
                if not entries[key][3]:
                    entries[key][3] = split_keyword(keyword)
            kept += 1
            continue
        entries[key] = [vr, vm, keyword, split_keyword(keyword)]
        added += 1
    return added, kept, disagree


def table_line(*fields):
    for field in fields:
        if "\t" in field or "\n" in field or "\r" in field or '"""' in field:
            raise SystemExit(f"cannot encode {field!r}")
    return "\t".join(fields)


def write(entries):
    lines = [
        "// <auto-generated>",
        f"// Generated by tools/gen_private_dictionary.py from pydicom {pydicom.__version__} (_private_dict.py)",
        f"// and {DCMTK_DIC}: {len(entries)} private data elements of "
        f"{len({c for c, _, _ in entries})} private creators.",
        "// Do not edit; rerun /usr/bin/python3 tools/gen_private_dictionary.py.",
        "// </auto-generated>",
        "namespace MiniGptMed.Dicom.Data;",
        "",
        "public static partial class DicomPrivateDictionary",
        "{",
        "    // '@creator' starts a creator's block; then 'gggg ee VR VM Keyword Name', tab-separated,",
        "    // gggg 'ggxx' for a range of groups; no Name when it is the Keyword split into words.",
        '    private const string Table = """',
    ]
    creator = None
    for (c, group, element), (vr, vm, keyword, name) in sorted(entries.items()):
        if c != creator:
            creator = c
            lines.append(table_line("@" + c))
        # pydicom leaves some names empty: then the line ends after VM.
        fields = (group, element, vr, vm) + ((keyword,) if keyword else ())
        fields += () if name == split_keyword(keyword) else (name,)
        lines.append(table_line(*fields))
    lines += ['""";', "}", ""]
    text = "\n".join(lines)
    size = len(text.encode("utf-8"))
    if size >= MAX_BYTES:
        raise SystemExit(f"{OUT} would be {size} bytes, over 1 MiB")
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return size


def main():
    entries = {}
    skipped = Counter()
    load_pydicom(entries, skipped)
    from_pydicom = len(entries)
    added, kept, disagree = load_dcmtk(entries, skipped)
    size = write(entries)
    print(f"private entries: {len(entries)} ({from_pydicom} from pydicom, {added} only in private.dic; "
          f"{kept} in both, {disagree} VR differences kept from pydicom); "
          f"{len({c for c, _, _ in entries})} creators; {size} bytes", file=sys.stderr)
    for reason, count in sorted(skipped.items()):
        print(f"skipped {count}: {reason}", file=sys.stderr)


if __name__ == "__main__":
    main()
