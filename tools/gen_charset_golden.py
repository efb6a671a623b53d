#!/usr/bin/python3
"""Extract golden Specific Character Set cases from pydicom's charset test files.

Run with Debian's interpreter (it has pydicom):  /usr/bin/python3 tools/gen_charset_golden.py

For every text element whose VR uses the Specific Character Set (SH, LO, ST, LT, PN, UC, UT),
including those in sequence items, it writes the raw value bytes (hex, before any decoding),
the (0008,0005) values in force for that item, and pydicom's decoded string (multiple values
joined with '\\', each stripped of trailing padding as pydicom does) to
tests/MiniGptMed.Dicom.Tests/Data/charset_golden.json. The C# test decodes the raw bytes
itself and compares; it does not need the Part 10 reader.
"""

import glob
import json
import os

import pydicom
from pydicom.dataelem import RawDataElement
from pydicom.multival import MultiValue

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE = os.path.join(os.path.dirname(pydicom.__file__), "data", "charset_files")
OUT = os.path.join(ROOT, "tests", "MiniGptMed.Dicom.Tests", "Data", "charset_golden.json")
TEXT_VRS = {"SH", "LO", "ST", "LT", "PN", "UC", "UT"}


def charset_values(ds, inherited):
    if "SpecificCharacterSet" in ds:
        value = ds.SpecificCharacterSet
        return list(value) if isinstance(value, MultiValue) else [value]
    return inherited


def as_text(value):
    if isinstance(value, MultiValue):
        return "\\".join(str(v) for v in value)
    return str(value)


def walk(ds, inherited, file_name, path, cases):
    charsets = charset_values(ds, inherited)
    for tag in sorted(ds.keys()):
        raw = ds._dict[tag]
        vr = raw.VR if isinstance(raw, RawDataElement) else ds[tag].VR
        if vr == "SQ":
            for i, item in enumerate(ds[tag].value):
                walk(item, charsets, file_name, f"{path}{ds[tag].keyword}[{i}].", cases)
            continue
        if vr not in TEXT_VRS or not isinstance(raw, RawDataElement) or not raw.value:
            continue
        raw_bytes = bytes(raw.value)
        element = ds[tag]
        cases.append({
            "file": file_name,
            "element": path + (element.keyword or str(element.tag)),
            "vr": vr,
            "specificCharacterSet": charsets,
            "raw": raw_bytes.hex(),
            "pydicom": as_text(element.value),
        })


def main():
    cases = []
    for path in sorted(glob.glob(os.path.join(SOURCE, "*.dcm"))):
        ds = pydicom.dcmread(path)
        walk(ds, [""], os.path.basename(path), "", cases)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        json.dump({"generator": "tools/gen_charset_golden.py",
                   "pydicom": pydicom.__version__,
                   "cases": cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases -> {OUT}")


if __name__ == "__main__":
    main()
