#!/usr/bin/env bash
# Makes target/peer-venv hold exactly tests/peers/requirements.txt (Microsoft's Python Bot Framework SDK, pinned)
# and prints its python. Reinstalls only when the requirements change.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/target/peer-venv"
requirements="$root/tests/peers/requirements.txt"
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
  echo "installing tests/peers/requirements.txt into target/peer-venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" >&2
  cp "$requirements" "$venv/requirements.txt"
fi
echo "$venv/bin/python"
