(*
Module: Ifcfg
  Red Hat ifcfg-* files: the stock Sysconfig lens, except that values added
  by augnetcf are written without quotes when they need none.

  Sysconfig's put direction wraps every new simple value in double quotes
  (DEVICE="br0"). initscripts, NetworkManager and netcf all write such values
  bare, and admins expect that. Existing values keep whatever quoting they
  had; values that need quotes (spaces, quote characters) still get them.

About: License
  LGPL-2.1-or-later, like Augeas and its stock lenses.
*)
module Ifcfg =

  (* View: bare
       A value without blanks or quotes, optionally quoted; bare by default. *)
  let bare = Quote.do_quote_opt_nil (store Sysconfig.bchar+)

  let assign =
    let nothing = del /(""|'')?/ "" . value "" in
    Sysconfig.kv nothing | Sysconfig.kv bare | Sysconfig.kv Sysconfig.quot
    | Sysconfig.kv Sysconfig.dquot | Sysconfig.kv Sysconfig.squot

  let lns = Sysconfig.empty* . (Sysconfig.comment | Sysconfig.source | assign
                                | Sysconfig.unset | Sysconfig.bare_export)*
