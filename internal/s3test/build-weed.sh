#!/bin/sh
# build-weed.sh VERSION OUT builds SeaweedFS's weed binary at module
# version VERSION into OUT. `go install` refuses the module (it has replace
# directives), so the module is copied out of the module cache into a
# writable directory and built there.
set -eu
ver=$1
out=$2
GO=${GO:-go}
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
dir=$(cd "$tmp" && GOFLAGS=-mod=mod "$GO" mod download -json "github.com/seaweedfs/seaweedfs@$ver" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
test -n "$dir" || { echo "build-weed: go mod download found no module directory" >&2; exit 1; }
cp -R "$dir" "$tmp/src"
chmod -R u+w "$tmp/src"
mkdir -p "$(dirname "$out")"
echo "build-weed: building weed $ver (several minutes)" >&2
(cd "$tmp/src" && GOFLAGS=-mod=mod "$GO" build -o "$out.tmp" ./weed)
mv "$out.tmp" "$out"
