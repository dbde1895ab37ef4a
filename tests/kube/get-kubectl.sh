#!/bin/sh
# get-kubectl.sh DEST - Debian 12's kubectl (package kubernetes-client,
# 1.20) unpacked into DEST (DEST/usr/bin/kubectl) for tests/kube/, without
# installing it: another package may own /usr/bin/kubectl (cloud SDKs ship
# a newer one), and the tests must not depend on what the machine has.
# `apt-get download` fetches the .deb apt's lists name (CI runs apt-get
# update first); `dpkg-deb -x` unpacks it.  Run once per build tree by
# `make check` (tests/Makefile.am); the suites fail loudly without it.
set -eu
dest=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/optt-kubectl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp" # (apt downloads as its _apt user where it can)
if ! (cd "$tmp" && apt-get download -q kubernetes-client >"$tmp/apt.log" 2>&1); then
	cat "$tmp/apt.log" >&2
	echo "get-kubectl.sh: apt-get download kubernetes-client failed (no apt lists? run apt-get update)" >&2
	exit 1
fi
dpkg-deb -x "$tmp"/kubernetes-client_*.deb "$tmp/root"
"$tmp/root/usr/bin/kubectl" version --client >/dev/null
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
mv "$tmp/root" "$dest"
