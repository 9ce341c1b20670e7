#!/usr/bin/env python3
"""transcript.py FOLDER LIMIT: prints the records of the cases lib.sh ran into FOLDER, in the
order they ran, and removes their files.

FOLDER holds, for case N: N.case ("run", name, command, exit status; or "file", name), N.out
and N.err (the run's stdout and stderr; or the file, in N.out). LIMIT is the most bytes of an
output kept in full (past it: size, line count and sha256), or "none". lib.sh describes the
format.
"""
import hashlib
import os
import sys


def output(out, label, data, limit):
    if not data:
        out.write(b"%s: empty\n" % label)
    elif limit is not None and len(data) > limit:
        digest = hashlib.sha256(data).hexdigest().encode()
        out.write(b"%s: %d bytes, %d lines, sha256 %s\n" % (label, len(data), data.count(b"\n"), digest))
    else:
        out.write(b"%s:\n" % label)
        lines = data.split(b"\n")
        whole = lines[-1] == b""
        for line in lines[:-1] if whole else lines:
            out.write(b"| " + line + b"\n" if line else b"|\n")
        if not whole:
            out.write(b"\\ no newline at end\n")


def main():
    folder, limit = sys.argv[1], None if sys.argv[2] == "none" else int(sys.argv[2])
    out = sys.stdout.buffer
    numbers = sorted(int(name[:-5]) for name in os.listdir(folder) if name.endswith(".case"))
    for n in numbers:
        files = ["%s/%d.%s" % (folder, n, kind) for kind in ("case", "out", "err")]
        case, stdout, stderr = (open(f, "rb").read() if os.path.exists(f) else b"" for f in files)
        case = case.split(b"\n")
        if case[0] == b"file":
            out.write(b"### %s\n" % case[1])
            output(out, b"file", stdout, 0)
        else:
            out.write(b"### %s\n$ %s\nexit %s\n" % (case[1], case[2], case[3]))
            output(out, b"stdout", stdout, limit)
            output(out, b"stderr", stderr, limit)
        for f in files:
            if os.path.exists(f):
                os.remove(f)


if __name__ == "__main__":
    main()
