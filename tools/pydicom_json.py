#!/usr/bin/env python3
"""pydicom's view of DICOM files, as the independent oracle for our reader.

Usage: /usr/bin/python3 tools/pydicom_json.py OUT.json FILE_OR_DIR...

Writes {path: {"status": "ok"|"warned"|"rejected", "json": <Dataset.to_json_dict()>, "error": str}}.
Files are read with force=True (so headerless data sets are read too) and with warnings recorded:
"ok" means pydicom read and serialised the file without complaint, "warned" that it read it but
warned (truncated values, bad lengths), "rejected" that it raised.
"""
import json
import os
import sys
import warnings

import pydicom
from pydicom import config

config.settings.reading_validation_mode = getattr(config, "IGNORE", 0) if hasattr(config, "settings") else None


def empty_values_as_null(node):
    """PS3.18 F.2.5: an empty value inside a multi-valued attribute is null in DICOM JSON.

    pydicom 2.3.1 writes "" there (e.g. value 1 of Specific Character Set "\\ISO 2022 IR 87" in its
    chrH31.dcm, chrI2.dcm, chrJapMulti.dcm, chrKoreanMulti.dcm); the oracle is brought to the standard
    here, once, so that the comparison itself has no special case for it.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Value" and isinstance(value, list) and len(value) > 1:
                node[key] = [None if v == "" else empty_values_as_null(v) for v in value]
            else:
                empty_values_as_null(value)
    elif isinstance(node, list):
        for item in node:
            empty_values_as_null(item)
    return node


def view(path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ds = pydicom.dcmread(path, force=True)
            result = ds.to_json_dict(bulk_data_threshold=1 << 40)
        except Exception as exc:  # noqa: BLE001 - any failure is a rejection
            return {"status": "rejected", "error": f"{type(exc).__name__}: {exc}"}
    status = "warned" if caught else "ok"
    out = {"status": status, "json": empty_values_as_null(result)}
    if caught:
        out["error"] = "; ".join(str(w.message) for w in caught)[:500]
    return out


def main():
    out_path = sys.argv[1]
    files = []
    for arg in sys.argv[2:]:
        if os.path.isdir(arg):
            for name in sorted(os.listdir(arg)):
                full = os.path.join(arg, name)
                if os.path.isfile(full):
                    files.append(full)
        else:
            files.append(arg)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump({p: view(p) for p in files}, f)


if __name__ == "__main__":
    main()
