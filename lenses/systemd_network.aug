(*
Module: Systemd_Network
  systemd-networkd's .network, .netdev and .link files and their drop-ins,
  read exactly as Augeas' stock Systemd lens reads them.

  The stock lens (systemd.aug, by Dominic Cleal, in Augeas 1.14) serves as it
  is; this module only makes it cheaper to load. Its definitions, and those it
  takes from the stock Util, Rx, Sep, IniFile, Build and Quote modules, are
  copied here unchanged but for two regular expressions:

  - entry_multi_kw, the key of an ordinary Key=word word line, which the stock
    lens writes as a difference: /[A-Za-z][A-Za-z0-9._-]+/ minus
    "Description", "Environment" and /Exec[A-Za-z][A-Za-z0-9._-]+/;
  - record_re, the name of a [section], which IniFile writes as
    /[^]\r\n\/]+/ minus "#comment".

  libaugeas compiles a lens' regular expressions again for every load and
  every file it writes (lens_release in its transform.c). A difference is
  computed on automata when the module is read and turned back into an
  expression (1,079 characters for the key), which is then part of
  every larger expression that holds the key. Here each is spelled out
  instead, as a trie: a start that leaves the path of every excluded word,
  then anything; or a start of an excluded word that stops early (641
  characters for the key). The sets are the same, so trees and printed
  files are the same for every input; tests/unit/test_lenses.py builds both
  expressions from the excluded words, compares them with the text below,
  asks libfa whether they equal the differences, and reads and writes every
  networkd file of the test corpus with both lenses.

  Being self-contained, it also spares libaugeas reading those six modules
  on every command, which is most of what this lens saves: see
  lenses/README.md for the numbers.

  No autoload and no filter: augnetcf registers its transforms itself.

About: License
  LGPL-2.1-or-later, like Augeas and its stock lenses (systemd.aug and the
  modules named above are LGPL-2.1-or-later).
*)
module Systemd_Network =

  (* from Util *)
  let del_str (s:string) = del s s
  let del_ws_spc = del /[ \t]+/ " "
  let del_opt_ws = del /[ \t]*/
  let eol = del /[ \t]*\n/ "\n"
  let doseol = del /[ \t]*\r?\n/ "\n"
  let comment_generic_seteol (r:regexp) (d:string) (eol:lens) =
    [ label "#comment" . del r d
        . store /([^ \t\r\n].*[^ \t\r\n]|[^ \t\r\n])/ . eol ]
  let empty_generic_dos (r:regexp) =
    [ del r "" . del /\r?\n/ "\n" ]

  (* from Rx and Sep *)
  let opt_space_re = /[ \t]*/
  let opt_space = del opt_space_re ""

  (* from Build *)
  let opt_list (lns:lens) (sep:lens) = lns . ( sep . lns )*

  (* from Quote *)
  let quote = del /["']/ "\""
  let quote_opt = del /["']?/ "\""
  let do_quote (body:lens) = square quote body quote
  let do_quote_opt (body:lens) = square quote_opt body quote_opt

  (* from IniFile *)
  let ini_comment (pat:regexp) (default:string) =
    comment_generic_seteol (opt_space_re . pat . opt_space_re) default doseol
  let ini_empty = empty_generic_dos (opt_space_re . /[;#]/? . opt_space_re)
  let title (kw:regexp) = del_str "[" . key kw . del_str "]" . doseol
  let record (title:lens) (entry:lens) = [ title . (entry | ini_empty)* ]
  let ini_lns (record:lens) (comment:lens) = (comment | ini_empty)* . record*

  (* IniFile's record_re, /[^]\r\n\/]+/ - /#comment/, spelled out: a name
     that leaves the path of "#comment" somewhere (then anything), or a
     start of "#comment" that stops early *)
  let record_re = /(([^]\r\n\/#]|#([^]\r\n\/c]|c([^]\r\n\/o]|o([^]\r\n\/m]|m([^]\r\n\/m]|m([^]\r\n\/e]|e([^]\r\n\/n]|n([^]\r\n\/t]|t[^]\r\n\/]))))))))[^]\r\n\/]*|#(c(o(m(m(e(n)?)?)?)?)?)?)/

  (* from Systemd *)
  let comment     = ini_comment /[;#]/ "#"
  let eol_comment = ini_comment "#" "#"
  let sep         = opt_space . del "=" "="

  let entry_single_kw  = "Description"
  let entry_command_kw = /Exec[A-Za-z][A-Za-z0-9._-]+/
  let entry_env_kw     = "Environment"

  (* /[A-Za-z][A-Za-z0-9._-]+/ - (entry_single_kw | entry_command_kw
     | entry_env_kw), spelled out. Either a start that leaves the paths of
     "Description", "Environment" and "Exec" somewhere (a first letter
     other than D and E and one more character; "D" or "De"... and then a
     character other than the next one of "Description"; "Description" or
     "Environment" and one more character; "Exec" and a character that is no
     letter), then anything; or a start of one of them that stops early:
     "De" up to "Descriptio", "En" up to "Environmen", "Ex", "Exe", "Exec"
     and "Exec" with one letter *)
  let entry_multi_kw = /(([A-CF-Za-z][A-Za-z0-9._-]|D([A-Za-df-z0-9._-]|e([A-Za-rt-z0-9._-]|s([A-Zabd-z0-9._-]|c([A-Za-qs-z0-9._-]|r([A-Za-hj-z0-9._-]|i([A-Za-oq-z0-9._-]|p([A-Za-su-z0-9._-]|t([A-Za-hj-z0-9._-]|i([A-Za-np-z0-9._-]|o([A-Za-mo-z0-9._-]|n[A-Za-z0-9._-]))))))))))|E([A-Za-mo-wyz0-9._-]|n([A-Za-uw-z0-9._-]|v([A-Za-hj-z0-9._-]|i([A-Za-qs-z0-9._-]|r([A-Za-np-z0-9._-]|o([A-Za-mo-z0-9._-]|n([A-Za-ln-z0-9._-]|m([A-Za-df-z0-9._-]|e([A-Za-mo-z0-9._-]|n([A-Za-su-z0-9._-]|t[A-Za-z0-9._-])))))))))|x([A-Za-df-z0-9._-]|e([A-Zabd-z0-9._-]|c[0-9._-]))))[A-Za-z0-9._-]*|(De(s(c(r(i(p(t(i(o)?)?)?)?)?)?)?)?|E(n(v(i(r(o(n(m(e(n)?)?)?)?)?)?)?)?|x(e(c[A-Za-z]?)?)?)))/

  let value_single_re  = /[^# \t\n\\][^#\n\\]*[^# \t\n\\]|[^# \t\n\\]/
  let sto_value_single = del_opt_ws ""
                         . store (value_single_re
                                  . (/\\\\\n/ . value_single_re)*)
  let sto_value = store /[^# \t\n]*[^# \t\n\\]/
  let value_sep = del /[ \t]+|[ \t]*\\\\[ \t]*\n[ \t]*/ " "
  let value_cmd_re = /[^#@ \t\n\\-][^#@ \t\n\\-][^# \t\n\\]*/
  let env_key = /[A-Za-z0-9_]+(\[[0-9]+\])?/

  let entry_fn (kw:regexp) (val:lens) =
      [ key kw . sep . val . (eol_comment|eol) ]

  let entry_value  = [ label "value" . sto_value ]

  let entry_single = entry_fn entry_single_kw
                       [ label "value" . sto_value_single ]?

  let entry_multi  = entry_fn entry_multi_kw
                       ( del_opt_ws ""
                         . opt_list entry_value value_sep )?

  let entry_command_flags =
       let exit  = [ label "ignoreexit" . del_str "-" ]
    in let arg0  = [ label "arg0" . del_str "@" ]
    in exit? . arg0?

  let entry_command =
       let cmd  = [ label "command" . store value_cmd_re ]
    in let arg  = [ seq "args" . sto_value ]
    in let args = [ counter "args" . label "arguments"
                  . (value_sep . arg)+ ]
    in entry_fn entry_command_kw ( entry_command_flags . del_opt_ws "" . cmd . args? )?

  let entry_env =
       let envkv (env_val:lens) = key env_key . del_str "=" . env_val
    in let bare = do_quote_opt (envkv (store /[^#'" \t\n]*[^#'" \t\n\\]/)?)
    in let bare_dqval = envkv (store /"[^#"\t\n]*"/)
    in let bare_sqval = envkv (store /'[^#'\t\n]*'/)
    in let quoted = do_quote (envkv (store /[^#"'\n]*[ \t]+[^#"'\n]*/))
    in let envkv_quoted = [ bare ] | [ bare_dqval ] | [ bare_sqval ] | [ quoted ]
    in entry_fn entry_env_kw ( del_opt_ws "" . ( opt_list envkv_quoted value_sep ))

  let entry   = entry_single | entry_multi | entry_command | entry_env | comment

  let include = [ key ".include" . del_ws_spc . sto_value
                  . (eol_comment|eol) ]

  let lns = ini_lns (record (title record_re) (entry|include)) (comment|include)
