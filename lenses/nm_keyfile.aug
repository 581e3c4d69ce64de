(*
Module: NM_Keyfile
  NetworkManager keyfiles (etc/NetworkManager/system-connections/*.nmconnection):
  the stock NetworkManager lens, except that blanks around "=" are not part
  of the key.

  GLib's key file parser, which NetworkManager uses, strips blanks after a
  key and before its value, so "autoconnect = false" sets autoconnect. The
  stock lens stores that line under the label "autoconnect " (with the
  blank), which no reader of the tree would recognise, and a define would
  then add a second autoconnect line. Here the blanks go with the separator
  and are kept as they were when the file is written back.

About: License
  LGPL-2.1-or-later, like Augeas and its stock lenses.
*)
module NM_Keyfile =

  let comment = IniFile.comment "#" "#"
  let eol = Util.eol

  (* View: entry_re
       The stock lens' key characters (inner blanks included), but never a
       blank at the end. *)
  let entry_re = /[A-Za-z][A-Za-z0-9:._\(\) \t-]*[A-Za-z0-9:._\(\)-]|[A-Za-z]/

  let sep = del /[ \t]*=/ "="

  let entry = [ key entry_re . sep . IniFile.sto_to_eol? . eol ] | comment

  let title = IniFile.indented_title IniFile.record_re
  let record = IniFile.record title entry

  let lns = IniFile.lns record comment
