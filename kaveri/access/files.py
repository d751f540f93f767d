"""Files that hold client data are written readable by their owner only (mode 0600)."""

import os
from typing import IO

PRIVATE = 0o600


def open_private(path: str) -> IO[str]:
    """Open a file for writing that only its owner may read, whatever the umask; an existing
    file is truncated and its mode narrowed too."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    os.fchmod(descriptor, PRIVATE)
    return os.fdopen(descriptor, "w", encoding="utf-8")


def write_private_file(path: str, text: str) -> None:
    with open_private(path) as stream:
        stream.write(text)
