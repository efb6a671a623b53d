#!/usr/bin/python3
"""The `weights` field of a model folder's manifest.json (schema: models/README.md): each file of the folder but
manifest.json and the *.md notes (the ONNX graphs, their external-data files, tokenizer.model), with its size in
bytes and its SHA-256. The node checks every size at load (a half-copied model is refused, naming the file), and
versions the model by the manifest's hash, which so covers the weights: a retrained model of the same shape gets
another version, and so other result UIDs.

  /usr/bin/python3 tools/model_manifest.py DIR [DIR ...]          # add or refresh the field
  /usr/bin/python3 tools/model_manifest.py --check DIR [DIR ...]  # recompute every hash, exit 1 on a difference

The exports (tools/minigptmed_export.py's write_manifest) write the field themselves; this script is for folders
made before it existed, or edited since.
"""
import argparse
import hashlib
import json
import os
import sys

MANIFEST = "manifest.json"


def weight_files(model_dir):
    """The files the field lists, sorted: every regular file but the manifest and Markdown notes."""
    return sorted(name for name in os.listdir(model_dir)
                  if name != MANIFEST and not name.lower().endswith(".md") and os.path.isfile(os.path.join(model_dir, name)))


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def weights(model_dir):
    return {name: {"size": os.path.getsize(os.path.join(model_dir, name)), "sha256": sha256(os.path.join(model_dir, name))}
            for name in weight_files(model_dir)}


def write(model_dir, manifest):
    """Writes manifest.json with the `weights` of the files now in the folder (replacing any earlier list)."""
    manifest = dict(manifest)
    manifest["weights"] = weights(model_dir)
    path = os.path.join(model_dir, MANIFEST)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return path


def refresh(model_dir):
    with open(os.path.join(model_dir, MANIFEST), encoding="utf-8") as f:
        manifest = json.load(f)
    manifest.pop("weights", None)
    return write(model_dir, manifest)


def check(model_dir):
    """Differences between the folder and its manifest's `weights` (empty: all sizes and hashes equal)."""
    with open(os.path.join(model_dir, MANIFEST), encoding="utf-8") as f:
        listed = json.load(f).get("weights")
    if listed is None:
        return [f"{model_dir}: {MANIFEST} has no weights field"]
    problems = []
    for name, entry in sorted(listed.items()):
        path = os.path.join(model_dir, name)
        if not os.path.isfile(path):
            problems.append(f"{path}: missing")
        elif os.path.getsize(path) != entry["size"]:
            problems.append(f"{path}: {os.path.getsize(path)} bytes, {MANIFEST} lists {entry['size']}")
        elif sha256(path) != entry["sha256"]:
            problems.append(f"{path}: SHA-256 differs from {MANIFEST}'s")
    for name in weight_files(model_dir):
        if name not in listed:
            problems.append(f"{os.path.join(model_dir, name)}: not listed in {MANIFEST}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="+", metavar="DIR")
    ap.add_argument("--check", action="store_true", help="verify instead of writing")
    args = ap.parse_args()
    failed = False
    for model_dir in args.dirs:
        if not os.path.isfile(os.path.join(model_dir, MANIFEST)):
            print(f"{model_dir}: no {MANIFEST}", file=sys.stderr)
            failed = True
        elif args.check:
            problems = check(model_dir)
            for p in problems:
                print(p, file=sys.stderr)
            failed |= bool(problems)
            if not problems:
                print(f"{model_dir}: every listed file has its size and SHA-256")
        else:
            refresh(model_dir)
            print(f"{model_dir}: {MANIFEST} lists {len(weight_files(model_dir))} files with size and SHA-256")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
