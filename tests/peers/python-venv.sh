#!/usr/bin/env bash
# Makes a venv under target/ hold exactly a pinned requirements file, and prints its python. Reinstalls only when
# the requirements change.
#   bash tests/peers/python-venv.sh                  target/peer-venv: tests/peers/requirements.txt (Microsoft's
#                                                    Python Bot Framework SDK, moto, sqlglot, duckdb)
#   bash tests/peers/python-venv.sh superset-venv tests/peers/superset-requirements.txt
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/target/${1:-peer-venv}"
requirements="$root/${2:-tests/peers/requirements.txt}"
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  echo "installing ${2:-tests/peers/requirements.txt} into target/${1:-peer-venv}" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  cp "$requirements" "$venv/requirements.txt"
fi
echo "$venv/bin/python"
