(*
Module: Ifcfg
  Red Hat ifcfg-* files (and SUSE's): the stock Sysconfig lens, except that
  values added by augnetcf are written without quotes when they need none.

  Sysconfig's put direction wraps every new simple value in double quotes
  (DEVICE="br0"). initscripts, NetworkManager and netcf all write such values
  bare, and admins expect that. Existing values keep whatever quoting they
  had; values that need quotes (spaces, quote characters) still get them.

  Self-contained: the definitions it takes from the stock Util, Quote,
  Shellvars and Sysconfig modules are copied here unchanged (Augeas 1.14),
  but for key_re (see there: the difference it took cost every load and
  every written file about 20 ms),
  because libaugeas parses every module a lens names on every command, and
  Shellvars alone (arrays, case statements, functions: nothing an ifcfg file
  may hold) took half the time of loading an ifcfg file (about 25 of 47 ms).
  tests/unit/test_lenses.py checks that this lens reads and writes every
  corpus file exactly as the stock-based one did.

About: License
  LGPL-2.1-or-later, like Augeas and its stock lenses.
*)
module Ifcfg =

  (* from Util *)
  let del_ws_spc = del /[ \t]+/ " "
  let indent = del /[ \t]*/ ""
  let empty_generic_re = /[ \t]*#?[ \t]*/
  let empty = [ del empty_generic_re "" . del "\n" "\n" ]
  let comment_generic_seteol (r:regexp) (d:string) (eol:lens) =
    [ label "#comment" . del r d
        . store /([^ \t\r\n].*[^ \t\r\n]|[^ \t\r\n])/ . eol ]

  (* from Quote *)
  let quote = del /["']/ "\""
  let quote_opt = del /["']?/ "\""
  let quote_opt_nil = del /["']?/ ""
  let dquote = del "\"" "\""
  let squote = del "'" "'"

  (* from Shellvars *)
  let semicol_eol = del (/[ \t]*[;\n]/ . (empty_generic_re . /\n+/)*) "\n"
  (* Shellvars says key_re - ("unset" | "export"). libaugeas compiles a
     lens' regular expressions again for every load and for every file it
     writes, and that difference made 85% of the cost of each (19 of 22 ms
     a load, 25 of 30 ms a written file). Without it, the only lines read
     otherwise are assignments to a variable named unset or export
     (unset=x), which the shell accepts and Shellvars rejected; "unset X"
     and "export X" still need a blank after the word, which no key takes,
     so they stay var_actions. *)
  let key_re = /[A-Za-z0-9_][-A-Za-z0-9_]*(\[[0-9A-Za-z_,]+\])?/
  let matching_re = "${!" . key_re . /[\*@]\}/
  let eol_for_comment = del /([ \t]*\n)([ \t]*(#[ \t]*)?\n)*/ "\n"
  let comment_eol = comment_generic_seteol /[ \t]+#[ \t]*/ " # " eol_for_comment
  let comment_or_eol = comment_eol | semicol_eol
  let export = [ key "export" . del_ws_spc ]
  let var_action (name:string) =
    indent . del name name . del_ws_spc
    . label ("@" . name) . counter "var_action"
    . [ seq "var_action" . store (key_re | matching_re) ]
    . ( del_ws_spc . [ seq "var_action" . store (key_re | matching_re) ] )*
  let sh_source =
    indent
    . del /\.|source/ "." . label ".source"
    . del_ws_spc . store /[^;=# \t\n]+/

  (* from Sysconfig *)
  let eq = del "=" "="
  let comment = comment_generic_seteol /[ \t]*#[ \t]*/ "# " eol_for_comment
  let bchar = /[^; \t\n"'\\]|\\\\./ (* " Emacs, relax *)
  let quot =
    let word = bchar* . /[; \t]/ . bchar* in
    square quote (store word+) quote
  let dquot =
    let char = /[^"\\]|\\\\./ in             (* " *)
    let word = char* . "'" . char* in
    square dquote (store word+) dquote
  let squot =
    let char = /[^'\\]|\\\\[^"]/ in           (* " *)
    let word = char* . "\"" . char* in
    square squote (store word+) squote
  let kv (value:lens) =
    let indent = del /[ \t]*/ "" in
    [ indent . export? . key key_re . eq . value . comment_or_eol ]
  let unset = [ var_action "unset" . comment_or_eol ]
  let bare_export = [ var_action "export" . comment_or_eol ]
  let source = [ sh_source . comment_or_eol ]

  (* ours *)
  let bare = square quote_opt_nil (store bchar+) quote_opt_nil

  let assign =
    let nothing = del /(""|'')?/ "" . value "" in
    kv nothing | kv bare | kv quot
    | kv dquot | kv squot

  let lns = empty* . (comment | source | assign
                                | unset | bare_export)*
