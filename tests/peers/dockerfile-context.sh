#!/usr/bin/env bash
# The Dockerfile's build stage without a Docker engine (none runs here): copies exactly what its COPY lines name
# into an empty folder and builds the binary there with `cargo build --locked`, sharing target/ so dependencies
# are not rebuilt (only the doberman crate is, from the copy: run it last). A file the build needs that the Dockerfile does not copy fails here. Also checks that the image
# runs as an unprivileged user and that .dockerignore keeps out nothing the build copies.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
copied=()
while read -r _ args; do
  read -r -a words <<< "$args"
  for src in "${words[@]:0:${#words[@]}-1}"; do
    if grep -qxF "$src" "$root/.dockerignore"; then
      echo "Dockerfile copies $src, which .dockerignore leaves out" >&2
      exit 1
    fi
    cp -r "$root/$src" "$ctx/"
    copied+=("$src")
  done
done < <(grep -E '^COPY ' "$root/Dockerfile" | grep -v -- '--from=')
echo "build context: ${copied[*]}"
user="$(grep -E '^USER ' "$root/Dockerfile" | tail -1 | awk '{print $2}')"
case "$user" in
  "" | root | 0 | 0:*) echo "the image must not run as root (USER is '${user:-unset}')" >&2; exit 1 ;;
esac
echo "runs as $user"
(cd "$ctx" && CARGO_TARGET_DIR="$root/target" cargo build --locked --bin doberman --quiet)
"$root/target/debug/doberman" --version
