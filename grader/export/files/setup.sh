#!/usr/bin/env bash
# Gradescope runs this once, as root and with the network on, when it builds the autograder
# image. It makes /autograder/source/.venv with the versions the kit was tested with
# (constraints.txt): torch's CPU build from its CPU-only index, TensorFlow's CPU build only
# where an exercise of this assignment needs it (requirements.txt says which), then checks
# that the assignment's exercises load. Written by `grade export gradescope`.
set -euo pipefail
SOURCE="${AUTOGRADER_ROOT:-/autograder}/source"
cd "$SOURCE"

python_ok() { command -v "$1" >/dev/null 2>&1 && "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; }
PY=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if python_ok "$candidate"; then PY="$candidate"; break; fi
done
if [ -z "$PY" ]; then  # an image older than the kit's Python (3.11+): Ubuntu ships 3.11 as a package
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3.11 python3.11-venv
  PY=python3.11
fi
if ! "$PY" -m venv .venv; then  # Ubuntu splits venv into its own package
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$(basename "$PY")-venv" || \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv
  rm -rf .venv && "$PY" -m venv .venv
fi
PIP=(.venv/bin/python -m pip install -q --disable-pip-version-check)
"${PIP[@]}" --upgrade pip
"${PIP[@]}" --index-url https://download.pytorch.org/whl/cpu -r requirements-torch.txt
"${PIP[@]}" -r requirements.txt
# the kit itself: on the path, without installing its dependencies a second time
echo "$SOURCE" > "$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/dl_exercise_kit.pth"
chmod +x run_autograder
.venv/bin/python -m grader.export.autograder --check
