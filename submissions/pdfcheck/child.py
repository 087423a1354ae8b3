"""Entry point of the checker process: ``python -m submissions.pdfcheck.child``.

Reads ``{"path", "spec", "memory_mb", "cpu_s"}`` as JSON on stdin, applies the resource limits
before importing any PDF library, and writes the report as JSON on stdout. Exits 0 whenever it
could write a report; a crash or a kill is the parent's to report.
"""

import json
import resource
import sys


def _limit(memory_mb: int, cpu_s: int) -> None:
    memory = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # SIGXCPU at the soft limit, SIGKILL one second later.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    # The checker writes nothing but its answer on the stdout pipe.
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    _limit(int(request.get("memory_mb", 1024)), int(request.get("cpu_s", 15)))

    from submissions.pdfcheck.analysis import analyse
    from submissions.pdfcheck.spec import FormatSpec

    spec = FormatSpec.from_dict(request["spec"]) if request.get("spec") else None
    report = analyse(request["path"], spec)
    sys.stdout.write(json.dumps(report))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
