#!/bin/sh
# Removes what compiling better-sqlite3 leaves behind (object files, the static sqlite library,
# the test extension, the C sources and build files): only lib/ and the one .node addon run.
# The Dockerfile's build stage runs it, and test/package/image.test.ts runs the same script.
# Usage: scripts/prune-native.sh <folder holding node_modules>
set -eu
pkg="${1:-.}/node_modules/better-sqlite3"
[ -d "$pkg" ] || { echo "prune-native: no $pkg" >&2; exit 1; }
addon="$pkg/build/Release/better_sqlite3.node"
[ -f "$addon" ] || { echo "prune-native: $addon is missing (better-sqlite3 was not built)" >&2; exit 1; }
mv "$addon" "$pkg/better_sqlite3.node.keep"
rm -rf "$pkg/build" "$pkg/deps" "$pkg/src" "$pkg/binding.gyp"
mkdir -p "$pkg/build/Release"
mv "$pkg/better_sqlite3.node.keep" "$addon"
