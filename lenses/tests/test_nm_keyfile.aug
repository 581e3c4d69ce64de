(* augparse tests for lenses/nm_keyfile.aug: run with
     augparse -I lenses lenses/tests/test_nm_keyfile.aug *)
module Test_nm_keyfile =

  let conf = "# by hand
[connection]
id=Wired connection 1
uuid=7a1c3ad3-5f34-4c36-9a8c-0b0f6f8c1e01
autoconnect = false
interface-name\t=eth0

[ipv4]
address1=10.0.0.5/24,10.0.0.1
dns=1.1.1.1;8.8.8.8;
dns-search=
"

  test NM_Keyfile.lns get conf =
    { "#comment" = "by hand" }
    { "connection"
      { "id" = "Wired connection 1" }
      { "uuid" = "7a1c3ad3-5f34-4c36-9a8c-0b0f6f8c1e01" }
      { "autoconnect" = "false" }
      { "interface-name" = "eth0" }
      {  } }
    { "ipv4"
      { "address1" = "10.0.0.5/24,10.0.0.1" }
      { "dns" = "1.1.1.1;8.8.8.8;" }
      { "dns-search" } }

  (* a changed value keeps the blanks around "=" *)
  test NM_Keyfile.lns put "[connection]\nautoconnect = false\n" after set "connection/autoconnect" "true"
    = "[connection]\nautoconnect = true\n"

  (* a new key is written as NetworkManager writes it *)
  test NM_Keyfile.lns put "[connection]\nid=x\n" after set "connection/interface-name" "eth0"
    = "[connection]\nid=x\ninterface-name=eth0\n"

  (* a one-letter key, and one with an inner blank *)
  test NM_Keyfile.lns get "[vpn]\nx=1\nsome key = 2\n" =
    { "vpn" { "x" = "1" } { "some key" = "2" } }
