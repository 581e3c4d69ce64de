#!/bin/sh
# Share a NIC with a guest, in network namespaces: nothing of the host is touched.
#
#   sudo sh examples/share-in-netns.sh [BACKEND]      (default: redhat)
#
# "lan" holds a peer at 192.0.2.1. "host" holds eth0 (a veth to the lan) with
# 192.0.2.10/24 and a default route, written by augnetcf into a temporary root
# in BACKEND's files. `augnetcf share eth0` turns eth0 into the port of br0;
# a "guest" namespace plugged into br0 then reaches the lan. `augnetcf unshare`
# puts files (byte for byte) and kernel back. Everything is deleted on exit.
set -eu
backend=${1:-redhat}
augnetcf=${AUGNETCF:-augnetcf}
tag=ancfdemo$$
root=$(mktemp -d)
run_dir=""
cleanup() {
    for ns in "$tag-host" "$tag-lan" "$tag-guest"; do ip netns del "$ns" 2>/dev/null || true; done
    # what augnetcf kept about the host namespace dies with it
    if [ -n "$run_dir" ]; then rm -rf "$run_dir"; fi
    rm -rf "$root"
}
trap cleanup EXIT INT TERM
show() { echo "\$ $*"; "$@"; }
inhost() { ip netns exec "$tag-host" "$@"; }

for ns in host lan guest; do ip netns add "$tag-$ns"; done
# ifup keeps the devices it created in a directory per network namespace
run_dir=${AUGNETCF_RUN_DIR:-/run/augnetcf}/netns-$(stat -L -c %i "/run/netns/$tag-host")
echo "# augnetcf's state for the host namespace: $run_dir (removed on exit)"
ip -n "$tag-host" link set lo up
ip -n "$tag-host" link add eth0 type veth peer name p0 netns "$tag-lan"
ip -n "$tag-lan" link set p0 up
ip -n "$tag-lan" addr add 192.0.2.1/24 dev p0

case $backend in  # where each backend keeps its files (augnetcf does not create the folder)
    redhat) mkdir -p "$root/etc/sysconfig/network-scripts" ;;
    debian) mkdir -p "$root/etc/network" ;;
    suse) mkdir -p "$root/etc/sysconfig/network" ;;
    nm-keyfile) mkdir -p "$root/etc/NetworkManager/system-connections" ;;
    networkd) mkdir -p "$root/etc/systemd/network" ;;
    netplan) mkdir -p "$root/etc/netplan" ;;
esac
A="$augnetcf --root $root --backend $backend"
cat > "$root/eth0.xml" <<'EOF'
<interface type="ethernet" name="eth0">
  <start mode="onboot"/>
  <protocol family="ipv4">
    <ip address="192.0.2.10" prefix="24"/>
    <route gateway="192.0.2.1"/>
  </protocol>
</interface>
EOF
echo "# the host: eth0 with its address, in $backend's files"
show inhost $A define "$root/eth0.xml"
show inhost $A ifup eth0
( cd "$root" && find etc -type f | sort | while read -r f; do echo "--- $f"; cat "$f"; done )
before=$(cd "$root" && find etc -type f | sort | xargs sha256sum)

echo; echo "# share it"
show inhost $A share eth0 --bridge br0 --yes
show inhost ip -br addr show
show inhost ip route show default
show inhost $A list --all
( cd "$root" && find etc -type f | sort | while read -r f; do echo "--- $f"; cat "$f"; done )

echo; echo "# a guest on br0 reaches the LAN, and the LAN reaches it"
ip -n "$tag-host" link add vnet0 type veth peer name eth0 netns "$tag-guest"
ip -n "$tag-host" link set vnet0 master br0 up
ip -n "$tag-guest" addr add 192.0.2.20/24 dev eth0
ip -n "$tag-guest" link set eth0 up
show ip netns exec "$tag-guest" ping -c1 -W5 192.0.2.1
show ip netns exec "$tag-lan" ping -c1 -W5 192.0.2.20
ip -n "$tag-host" link del vnet0

echo; echo "# unshare: files byte for byte, kernel as before"
show inhost $A unshare br0 --yes
show inhost ip -br addr show
show inhost ip route show default
after=$(cd "$root" && find etc -type f | sort | xargs sha256sum)
[ "$before" = "$after" ] && echo "files: byte-identical to before share"

echo; echo "# a share whose check fails rolls back by itself"
inhost $A share eth0 --bridge br0 --yes --verify 192.0.2.99 --timeout 2 || echo "(exit $?)"
show inhost ip -br addr show
after=$(cd "$root" && find etc -type f | sort | xargs sha256sum)
[ "$before" = "$after" ] && echo "files: byte-identical to before share"
