"""The `briefing` command with a fault planted where one source is read,
for tests of what the command does when the work goes wrong in ways no
fixture can cause on demand:

    python tests/faults.py FAULT:NAME[,FAULT:NAME…] ARGS…

runs `briefing ARGS…`, and the process that reads the source file called
NAME then, by FAULT:

- `kill`: is killed by SIGKILL, as the system's out-of-memory killer does;
- `hang`: never finishes, catching every exception raised in it (as
  WeasyPrint's SVG drawing catches BaseException), so that only ending its
  process can stop it;
- `raise`: raises an exception no stage expects (an internal error).

With FAULT_MARK set, the fault first creates the file FAULT_MARK.NAME: a
test waits for it before it signals the command.
"""

import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline import cli  # noqa: E402
from pipeline.read import source as reading  # noqa: E402


def planted(faults: dict[str, str]):
    read = reading.read_source

    def read_source(path, *args, **kwargs):
        if fault := faults.get(Path(path).name):
            if mark := os.environ.get("FAULT_MARK"):
                Path(f"{mark}.{Path(path).name}").touch()
            match fault:
                case "kill":
                    os.kill(os.getpid(), signal.SIGKILL)
                case "raise":
                    raise KeyError("planted")
                case "hang":
                    while True:
                        try:
                            time.sleep(0.05)
                        except BaseException:  # noqa: BLE001 - nothing raised can stop it
                            pass
        return read(path, *args, **kwargs)

    return read_source


if __name__ == "__main__":
    planting, *args = sys.argv[1:]
    reading.read_source = planted(dict(reversed(part.split(":", 1)) for part in planting.split(",")))
    sys.exit(cli.main(args))
