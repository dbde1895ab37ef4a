# Sourced by scripts/test and scripts/demo: make sure the Debian packages of
# a list (default scripts/deps; the demo's is scripts/deps-demo) are
# installed, installing them when we are root.
deps_ensure() { # TOP [LIST]
	pkgs=$(grep -v '^#' "${2:-$1/scripts/deps}" | tr '\n' ' ')
	missing=""
	for p in $pkgs; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" = 0 ]; then
		echo "installing:$missing"
		DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >/dev/null ||
			{ apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing >/dev/null; } ||
			{ echo "apt-get install failed:$missing" >&2; return 1; }
	else
		echo "missing Debian packages; run: sudo apt-get install$missing" >&2
		return 1
	fi
}
