"""Launch shim: fork+exec the engine and report ITS rusage (run as `python -I -S _spawn.py OUT -- cmd...`).

Why: on Linux a child's ru_maxrss starts from its parent's RSS at fork (the high-water mark of
the pre-exec memory survives exec). Started straight from the harness (numpy, matplotlib
loaded), an engine would "peak" at the harness's size. This shim is a few MB, so the engine's
ru_maxrss is the engine's own. It writes "maxrss utime stime" to OUT, forwards SIGTERM/SIGINT and
exits with the engine's exit code (128+N for a signal). Standard library only, no site import.
"""
import os
import signal
import sys


def main() -> int:
    out, command = sys.argv[1], sys.argv[3:]
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(command[0], command)
        except OSError as exc:
            os.write(2, f"cannot start {command[0]}: {exc.strerror}\n".encode())
            os._exit(127)

    def forward(signum, _frame):
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    _, status, usage = os.wait4(pid, 0)
    with open(out, "w") as handle:
        handle.write(f"{usage.ru_maxrss} {usage.ru_utime} {usage.ru_stime}\n")
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
