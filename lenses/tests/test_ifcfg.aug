(* augparse tests for lenses/ifcfg.aug: run with
     augparse -I lenses lenses/tests/test_ifcfg.aug *)
module Test_ifcfg =

  let conf = "# Uplink
DEVICE=\"br0\"
ONBOOT='yes'
BONDING_OPTS=\"mode=active-backup miimon=100\"
NAME='my \"nic\"'
EMPTY=
export FOO=bar
"

  test Ifcfg.lns get conf =
    { "#comment" = "Uplink" }
    { "DEVICE" = "br0" }
    { "ONBOOT" = "yes" }
    { "BONDING_OPTS" = "mode=active-backup miimon=100" }
    { "NAME" = "my \"nic\"" }
    { "EMPTY" = "" }
    { "FOO" = "bar" { "export" } }

  (* unset and export are keys when assigned to, as the shell has them;
     followed by a blank, they are still the shell's commands *)
  test Ifcfg.lns get "unset=1\nexport=2\nunset FOO\nexport BAR\nexport BAZ=3\n" =
    { "unset" = "1" }
    { "export" = "2" }
    { "@unset" { "1" = "FOO" } }
    { "@export" { "1" = "BAR" } }
    { "BAZ" = "3" { "export" } }

  (* existing quoting is kept when a value changes *)
  test Ifcfg.lns put "DEVICE=\"br0\"\n" after set "DEVICE" "br1" = "DEVICE=\"br1\"\n"
  test Ifcfg.lns put "ONBOOT='yes'\n" after set "ONBOOT" "no" = "ONBOOT='no'\n"

  (* new simple values are written bare *)
  test Ifcfg.lns put "DEVICE=br0\n" after set "BRIDGE" "br1" = "DEVICE=br0\nBRIDGE=br1\n"

  (* new values that need quotes still get them *)
  test Ifcfg.lns put "" after set "BONDING_OPTS" "mode=1 miimon=100" = "BONDING_OPTS=\"mode=1 miimon=100\"\n"
  test Ifcfg.lns put "" after set "NAME" "it's" = "NAME=\"it's\"\n"
