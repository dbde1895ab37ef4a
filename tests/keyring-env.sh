# keyring-env.sh - a private D-Bus session bus, and a real Secret Service
# (gnome-keyring) on it, for tests.  Sourced after lib.sh.
#
# The bus has no activatable services of its own (only what the test puts
# in $T_DIR/dbus-services), so "no Secret Service" can be tested too.
# Everything started here is stopped by lib.sh's cleanup (T_PIDS).

bus_start() {
	need dbus-daemon
	mkdir -p "$T_DIR/dbus-services"
	cat >"$T_DIR/bus.conf" <<EOB
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$T_DIR/bus</listen>
  <servicedir>$T_DIR/dbus-services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOB
	dbus-daemon --config-file="$T_DIR/bus.conf" --fork --print-pid >"$T_DIR/bus.pid" ||
		{ not_ok "private dbus-daemon starts"; t_done; }
	T_PIDS="$T_PIDS $(cat "$T_DIR/bus.pid")"
	export DBUS_SESSION_BUS_ADDRESS="unix:path=$T_DIR/bus"
}

# keyring_start: bus + gnome-keyring-daemon with an unlocked login keyring.
keyring_start() {
	need gnome-keyring-daemon secret-tool
	bus_start
	mkdir -p "$HOME/.local/share/keyrings"
	printf 'test-keyring-password' | gnome-keyring-daemon --unlock --components=secrets \
		--foreground >"$T_DIR/keyring.log" 2>&1 &
	T_PIDS="$T_PIDS $!"
	i=0
	until secret-tool search --all probe probe >/dev/null 2>&1 && [ -n "$(ls "$HOME/.local/share/keyrings" 2>/dev/null)" ]; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			not_ok "gnome-keyring-daemon starts" "$(cat "$T_DIR/keyring.log")"
			t_done
		fi
		sleep 0.1
	done
}
