(* augparse tests for lenses/suse_routes.aug: run with
     augparse -I lenses lenses/tests/test_suse_routes.aug *)
module Test_suse_routes =

  let conf = "# default route
default 192.168.0.1 - eth0
default 2001:db8::1 - eth0

10.0.0.0/8 192.168.0.254 - eth1
192.168.5.0 10.0.0.1 255.255.255.0 eth2 - metric 10
default 10.1.1.1 - -
#
  172.16.0.0/12\t10.0.0.1  -\teth3   blackhole
fc00::/7 - - eth0 metric 100 mtu lock 1400
127.0.0.0/8 - - lo # loopback
default 10.0.0.1
10.9.0.0/16
"

  test Suse_Routes.lns get conf =
    { "#comment" = "default route" }
    { "route"
      { "destination" = "default" }
      { "gateway" = "192.168.0.1" }
      { "netmask" = "-" }
      { "interface" = "eth0" } }
    { "route"
      { "destination" = "default" }
      { "gateway" = "2001:db8::1" }
      { "netmask" = "-" }
      { "interface" = "eth0" } }
    { }
    { "route"
      { "destination" = "10.0.0.0/8" }
      { "gateway" = "192.168.0.254" }
      { "netmask" = "-" }
      { "interface" = "eth1" } }
    { "route"
      { "destination" = "192.168.5.0" }
      { "gateway" = "10.0.0.1" }
      { "netmask" = "255.255.255.0" }
      { "interface" = "eth2" }
      { "type" = "-" }
      { "options" = "metric 10" } }
    { "route"
      { "destination" = "default" }
      { "gateway" = "10.1.1.1" }
      { "netmask" = "-" }
      { "interface" = "-" } }
    { }
    { "route"
      { "destination" = "172.16.0.0/12" }
      { "gateway" = "10.0.0.1" }
      { "netmask" = "-" }
      { "interface" = "eth3" }
      { "type" = "blackhole" } }
    { "route"
      { "destination" = "fc00::/7" }
      { "gateway" = "-" }
      { "netmask" = "-" }
      { "interface" = "eth0" }
      { "options" = "metric 100 mtu lock 1400" } }
    { "route"
      { "destination" = "127.0.0.0/8" }
      { "gateway" = "-" }
      { "netmask" = "-" }
      { "interface" = "lo" }
      { "#comment" = "loopback" } }
    { "route"
      { "destination" = "default" }
      { "gateway" = "10.0.0.1" } }
    { "route"
      { "destination" = "10.9.0.0/16" } }

  (* a type word after other options stays in "options" (wicked reads it as the type) *)
  test Suse_Routes.lns get "10.0.0.0/8 - - eth0 metric 5 unreachable\n" =
    { "route"
      { "destination" = "10.0.0.0/8" }
      { "gateway" = "-" }
      { "netmask" = "-" }
      { "interface" = "eth0" }
      { "options" = "metric 5 unreachable" } }

  (* the type and options together *)
  test Suse_Routes.lns get "10.0.0.0/8 - - eth0 prohibit metric 5\n" =
    { "route"
      { "destination" = "10.0.0.0/8" }
      { "gateway" = "-" }
      { "netmask" = "-" }
      { "interface" = "eth0" }
      { "type" = "prohibit" }
      { "options" = "metric 5" } }

  (* a multipath route continued over several lines (ifroute(5), wicked) *)
  test Suse_Routes.lns get "192.168.0.0/24 - - - table 42 \\
    nexthop via 192.168.1.1 weight 2 \\
    nexthop via 192.168.1.2 weight 3
" =
    { "route"
      { "destination" = "192.168.0.0/24" }
      { "gateway" = "-" }
      { "netmask" = "-" }
      { "interface" = "-" }
      { "options" = "table 42 \\
    nexthop via 192.168.1.1 weight 2 \\
    nexthop via 192.168.1.2 weight 3" } }

  (* wicked cuts a line at the first comment sign, even inside a word *)
  test Suse_Routes.lns get "default 10.0.0.1#x\n" =
    { "route"
      { "destination" = "default" }
      { "gateway" = "10.0.0.1" }
      { "#comment" = "x" } }

  (* a backslash anywhere but at the end of a line is an error (so says wicked) *)
  test Suse_Routes.lns get "default 10.0.0.1 - eth\\0\n" = *

  (* a new route in an empty file: single spaces *)
  test Suse_Routes.lns put "" after
    set "route/destination" "default";
    set "route/gateway" "192.168.0.1";
    set "route/netmask" "-";
    set "route/interface" "eth0"
  = "default 192.168.0.1 - eth0\n"

  (* a new route with type and options *)
  test Suse_Routes.lns put "" after
    set "route/destination" "10.0.0.0/8";
    set "route/gateway" "-";
    set "route/netmask" "-";
    set "route/interface" "eth1";
    set "route/type" "unreachable";
    set "route/options" "metric 5"
  = "10.0.0.0/8 - - eth1 unreachable metric 5\n"

  let file = "# Routes
default\t192.168.0.1   -   eth0   # uplink

10.0.0.0/8\t192.168.0.254\t-\teth1
"

  (* adding a route to an existing file keeps the other lines as they are *)
  test Suse_Routes.lns put file after
    set "route[last()+1]/destination" "default";
    set "route[last()]/gateway" "2001:db8::1";
    set "route[last()]/netmask" "-";
    set "route[last()]/interface" "eth0"
  = "# Routes
default\t192.168.0.1   -   eth0   # uplink

10.0.0.0/8\t192.168.0.254\t-\teth1
default 2001:db8::1 - eth0
"

  (* removing the last route *)
  test Suse_Routes.lns put file after
    rm "route[destination = '10.0.0.0/8']"
  = "# Routes
default\t192.168.0.1   -   eth0   # uplink

"

  (* Known limitation. Every route has the same label, so Augeas hands the
     formatting of the n-th "route" in the file to the n-th "route" of the
     tree. Removing a route, or inserting one before others, keeps every
     value, comment and blank line, but the routes after it take the spacing
     of the route line before them. Appending, removing the last route and
     changing values in place are byte-exact. *)
  test Suse_Routes.lns put file after
    rm "route[destination = 'default']"
  = "# Routes

10.0.0.0/8\t192.168.0.254   -   eth1
"

  test Suse_Routes.lns put file after
    insb "route" "route[1]";
    set "route[1]/destination" "172.16.0.0/12";
    set "route[1]/gateway" "10.0.0.1"
  = "# Routes
172.16.0.0/12\t10.0.0.1
default\t192.168.0.1\t-\teth0 # uplink

10.0.0.0/8 192.168.0.254 - eth1
"

  (* changing a column keeps the spacing *)
  test Suse_Routes.lns put file after
    set "route[1]/gateway" "192.168.0.2"
  = "# Routes
default\t192.168.0.2   -   eth0   # uplink

10.0.0.0/8\t192.168.0.254\t-\teth1
"

  (* giving a short route its missing columns *)
  test Suse_Routes.lns put "default 10.0.0.1\n" after
    set "route/netmask" "-";
    set "route/interface" "eth0"
  = "default 10.0.0.1 - eth0\n"

  (* dropping trailing columns *)
  test Suse_Routes.lns put "10.0.0.0/8 - - eth0 blackhole metric 5\n" after
    rm "route/options";
    rm "route/type"
  = "10.0.0.0/8 - - eth0\n"

  (* a route type cannot start "options": it belongs in "type" *)
  test Suse_Routes.lns put "" after
    set "route/destination" "10.0.0.0/8";
    set "route/gateway" "-";
    set "route/netmask" "-";
    set "route/interface" "eth0";
    set "route/options" "blackhole"
  = *
