(* augparse tests for lenses/systemd_network.aug: run with
     augparse -I lenses lenses/tests/test_systemd_network.aug
   The trees are those the stock Systemd lens gives (Augeas 1.14);
   tests/unit/test_lenses.py compares the two lenses on the whole corpus. *)
module Test_systemd_network =

  let conf = "# written by hand
; an old-style comment
[Match]
Name=eth0 eth1

[Network]
Description=uplink to the rack switch
Address=10.0.0.5/24
DNS=1.1.1.1 \\
    8.8.8.8
Domains=example.com  example.org

[Link]
MTUBytes=9000 # jumbo
"

  test Systemd_Network.lns get conf =
    { "#comment" = "written by hand" }
    { "#comment" = "an old-style comment" }
    { "Match"
      { "Name" { "value" = "eth0" } { "value" = "eth1" } }
      {  } }
    { "Network"
      { "Description" { "value" = "uplink to the rack switch" } }
      { "Address" { "value" = "10.0.0.5/24" } }
      { "DNS" { "value" = "1.1.1.1" } { "value" = "8.8.8.8" } }
      { "Domains" { "value" = "example.com" } { "value" = "example.org" } }
      {  } }
    { "Link"
      { "MTUBytes" { "value" = "9000" } { "#comment" = "jumbo" } } }

  (* a changed word touches its line only *)
  test Systemd_Network.lns put conf after set "Link/MTUBytes/value" "1500" =
"# written by hand
; an old-style comment
[Match]
Name=eth0 eth1

[Network]
Description=uplink to the rack switch
Address=10.0.0.5/24
DNS=1.1.1.1 \\
    8.8.8.8
Domains=example.com  example.org

[Link]
MTUBytes=1500 # jumbo
"

  (* a new key and a new section *)
  test Systemd_Network.lns put "[Match]\nName=eth0\n" after
    set "Match/MACAddress/value" "52:54:00:12:34:56";
    set "Network/DHCP/value" "yes" =
"[Match]\nName=eth0\nMACAddress=52:54:00:12:34:56\n[Network]\nDHCP=yes\n"

  (* Keys around the three the stock lens reads otherwise (Description,
     Environment and the keys starting with Exec): every near miss is an
     ordinary key of words *)
  test Systemd_Network.lns get "[X]
De=1
Descriptio=2
Descriptions=3
description=4
En=5
Environmen=6
Environments=7
Ex=8
Exe=9
Exec=10
Execx=11
Exec1=12
Exec_Start=13
execstart=14
Dx=15
Ey=16
" =
    { "X"
      { "De" { "value" = "1" } }
      { "Descriptio" { "value" = "2" } }
      { "Descriptions" { "value" = "3" } }
      { "description" { "value" = "4" } }
      { "En" { "value" = "5" } }
      { "Environmen" { "value" = "6" } }
      { "Environments" { "value" = "7" } }
      { "Ex" { "value" = "8" } }
      { "Exe" { "value" = "9" } }
      { "Exec" { "value" = "10" } }
      { "Execx" { "value" = "11" } }
      { "Exec1" { "value" = "12" } }
      { "Exec_Start" { "value" = "13" } }
      { "execstart" { "value" = "14" } }
      { "Dx" { "value" = "15" } }
      { "Ey" { "value" = "16" } } }

  (* ... and the three themselves *)
  test Systemd_Network.lns get "[Service]
Description=a b
Environment=A=1 B=\"x y\"
ExecStart=-/bin/true a
" =
    { "Service"
      { "Description" { "value" = "a b" } }
      { "Environment" { "A" = "1" } { "B" = "\"x y\"" } }
      { "ExecStart" { "ignoreexit" } { "command" = "/bin/true" }
                    { "arguments" { "1" = "a" } } } }

  (* a key has two characters at least *)
  test Systemd_Network.lns get "[Network]\nD=1\n" = *

  (* a section may be named anything but "#comment" *)
  test Systemd_Network.lns get "[#commen]\nAb=1\n[#commentx]\n[#]\n[Route]\n" =
    { "#commen" { "Ab" { "value" = "1" } } }
    { "#commentx" }
    { "#" }
    { "Route" }
  test Systemd_Network.lns get "[#comment]\n" = *

  (* .include, and a drop-in without a section before its comments *)
  test Systemd_Network.lns get ".include /etc/a.network\n# x\n[Network]\nDNS=\n" =
    { ".include" = "/etc/a.network" }
    { "#comment" = "x" }
    { "Network" { "DNS" } }
