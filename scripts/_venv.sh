# Shared by scripts/demo and scripts/test: make .venv with Python 3.11+ and install Kaveri.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Kaveri needs Python 3.11 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1)." >&2
  echo "Install Python 3.11+ or point PYTHON at it, e.g. PYTHON=python3.12 $0" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv ..."
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
EXTRAS="${KAVERI_EXTRAS-test}"
.venv/bin/python -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}"
