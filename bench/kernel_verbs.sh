#!/bin/sh
# Median wall time of the kernel verbs on a bridge over two veth NICs, in a
# throwaway network namespace (root only; nothing outside the namespaces changes).
#   sh bench/kernel_verbs.sh [AUGNETCF] [RUNS]
set -eu
exe=${1:-.venv/bin/augnetcf}; runs=${2:-7}
exe=$(readlink -f "$exe")
ns=bench-k$$; peer=bench-p$$
root=$(mktemp -d)
cleanup() { ip netns del "$ns" 2>/dev/null || true; ip netns del "$peer" 2>/dev/null || true; rm -rf "$root"; }
trap cleanup EXIT
ip netns add "$ns"; ip netns add "$peer"
for i in 0 1; do
    ip netns exec "$ns" ip link add nic$i type veth peer name p$i netns "$peer"
    ip netns exec "$peer" ip link set p$i up
done
mkdir -p "$root/etc/sysconfig/network-scripts"
cat > "$root/br0.xml" <<'X'
<interface type="bridge" name="br0">
  <protocol family="ipv4"><ip address="192.0.2.10" prefix="24"/><route gateway="192.0.2.1"/></protocol>
  <bridge stp="off" delay="0">
    <interface type="ethernet" name="nic0"/><interface type="ethernet" name="nic1"/>
  </bridge>
</interface>
X
A() { ip netns exec "$ns" "$exe" --root "$root" --backend redhat "$@" >/dev/null; }
A define "$root/br0.xml"
median() {  # label, then the command
    label=$1; shift
    for _ in $(seq "$runs"); do
        t0=$(date +%s%N); "$@" || true; t1=$(date +%s%N)
        echo $(( (t1 - t0) / 1000000 ))
    done | sort -n | awk -v l="$label" '{a[NR]=$1} END {printf "%-22s %5d ms\n", l, a[int((NR+1)/2)]}'
}
updown() { A ifup br0; A ifdown br0; }
median "list --all (no kernel)" A list --all
median "list (kernel status)" A list
median "ifup + ifdown" updown
A ifup br0
median "ifup (already up)" A ifup br0
median "diff" A diff br0
median "dumpxml --live" A dumpxml --live br0
median "dumpxml (files)" A dumpxml br0
A ifdown br0
