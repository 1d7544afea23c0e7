#!/usr/bin/env bash
# Sets up .venv once (Python 3.11+, pinned versions from constraints.txt); later calls
# return at once. Sourced by ./grade and ./selftest.
#   KIT_EXTRAS=dev  also installs what the kit's own tests need.
set -euo pipefail
KIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$KIT_ROOT/.venv"
extras="${KIT_EXTRAS:-}"
stamp="$VENV/.installed${extras:+-$extras}"
want="$(cat "$KIT_ROOT/pyproject.toml" "$KIT_ROOT/constraints.txt" | cksum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  return 0 2>/dev/null || exit 0
fi
PY="${PYTHON:-python3}"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "dl-exercise-kit needs Python 3.11 or newer (found: $("$PY" --version 2>&1))" >&2; exit 2; }
echo "Setting up dl-exercise-kit in .venv (first run only, about a minute) / 初回セットアップ中（約1分）..." >&2
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >&2
spec="$KIT_ROOT${extras:+[$extras]}"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -c "$KIT_ROOT/constraints.txt" -e "$spec" >&2
echo "$want" > "$stamp"
