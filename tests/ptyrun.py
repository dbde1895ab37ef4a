#!/usr/bin/env python3
"""ptyrun.py --when TEXT --run PROGRAM [--answer] [--step WHEN SEND]... -- COMMAND...

Run COMMAND on a pseudo-terminal, as a user at a shell would.  Once TEXT
appears in its output, run PROGRAM (e.g. a script that approves a device
code at the test IdP) and, with --answer, press Enter on the terminal.
Each --step WHEN SEND after that types SEND and Enter once WHEN appears
(after the previous match): a password, then commands at a shell.
Prints everything the command wrote, exits with its exit status; gives up
after 90 seconds.  (Not named pty.py: it would shadow the module.)
"""
import argparse
import os
import pty
import subprocess
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--when", required=True)
ap.add_argument("--run", required=True)
ap.add_argument("--answer", action="store_true")
ap.add_argument("--step", nargs=2, action="append", default=[], metavar=("WHEN", "SEND"))
ap.add_argument("command", nargs=argparse.REMAINDER)
a = ap.parse_args()
cmd = a.command[1:] if a.command[:1] == ["--"] else a.command
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
out, done, deadline = b"", False, time.time() + 90
steps, mark = list(a.step), 0
while time.time() < deadline:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if not done and a.when.encode() in out:
        done = True
        subprocess.run([a.run], check=False, stdout=subprocess.DEVNULL)
        if a.answer:
            os.write(fd, b"\n")
        mark = out.index(a.when.encode()) + len(a.when)
    while done and steps and steps[0][0].encode() in out[mark:]:
        mark = out.index(steps[0][0].encode(), mark) + len(steps[0][0])
        os.write(fd, steps[0][1].encode() + b"\n")
        steps.pop(0)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
