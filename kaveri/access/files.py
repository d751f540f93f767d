"""Files that hold client data are written readable by their owner only (mode 0600), and an
uploaded file is known by what it holds, not by the name or type the browser gave it."""

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


# The file types an uploaded document may be, by the bytes each begins with.
SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
}


def sniff_content_type(upload) -> tuple[str, str] | None:
    """(content type, suffix) of a PDF, PNG or JPEG upload, read from its first bytes;
    None for anything else, whatever it claims to be."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, found in SIGNATURES.items():
        if head.startswith(signature):
            return found
    return None
