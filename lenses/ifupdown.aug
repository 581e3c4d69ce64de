(*
Module: Ifupdown
  /etc/network/interfaces and the files it sources, as the three ifupdowns
  read them: Debian's ifupdown (0.8), ifupdown2 (Proxmox, Cumulus) and
  ifupdown-ng (Alpine). See interfaces(5) of each.

  Why not the stock Interfaces lens: it rejects stanzas without a family and
  method ("iface swp1", ifupdown2 and ifupdown-ng), "inherits", and the
  ifupdown-ng and ifupdown2 stanza keywords; and it stores "bridge-ports" and
  "bond-slaves" as lists of children while "bridge_ports" is a value, so an
  edit respelled and moved them. Here every option is a plain value.

  Tree (close to the stock lens, so that stylesheets change little):
    { "iface" = NAME { "family" = inet } { "method" = static }
                     { "inherits" = BASE } { "no-defaults" }
                     { "address" = "10.0.0.1/24" } { "#comment" = ... } }
  "family" and "method" are there only when the line has them. An option
  is a node labelled with its name (dashes and underscores as written),
  valued with the rest of its line; a line continued with a trailing
  backslash stays in that value, backslash and line break included. An
  option without a value (ifupdown-ng) is a node without a value.
  "template", "interface" (ifupdown-ng) and "vlan" (ifupdown2) stanzas have
  the shape of "iface"; "defaults" (ifupdown-ng) has no name; "mapping" is
  valued with its patterns and holds "script" and "map" options.
  "auto", "allow-*", "no-auto-down", "no-scripts" and "rename" lines hold
  their words as children "1", "2", ...; "source" and "source-directory"
  are valued with the rest of the line. Comments ("#comment") and blank
  lines may be anywhere; as in the stock lens, those after a stanza's
  options belong to the stanza.

  Layout: every blank, tab and line break is kept as it was. New options are
  indented with three spaces (the stock lens' choice); augnetcf re-indents
  added lines like their stanza's other lines after Augeas prints them.

  Regexps are few and plain on purpose: libaugeas compiles them for every
  file it reads or writes.

  No autoload: augnetcf registers its transforms itself.

About: License
  LGPL-2.1-or-later, like Augeas and its stock lenses.
*)
module Ifupdown =

(* blanks, or a line continued with a backslash *)
let sep = del /([ \t]|\\\\\n)+/ " "
let eol = del /[ \t]*\n/ "\n"
let indent (d:string) = del /[ \t]*/ d

(* one word; a backslash continues the line, so it is no word character *)
let word = /[^ \t\n\\]+/

(* the rest of a logical line: no blank at either end, continuations inside *)
let rest =
  let edge = /[^ \t\n\\]|\\\\[^\n]/ in
  let inner = /[^\n\\]|\\\\[^\n]|\\\\\n/ in
  store (edge . (inner* . edge)?)

let comment = [ indent "" . label "#comment" . del /#[ \t]*/ "# "
              . store /([^ \t\n].*[^ \t\n]|[^ \t\n])/ . eol ]
let empty = [ del /[ \t]*#?[ \t]*\n/ "\n" ]

(* lines that start something: never an option of the stanza above *)
let keyword = /iface|interface|template|defaults|vlan|mapping|auto|allow-[a-z-]+|no-auto-down|no-scripts|rename|source|source-directory/

(* family, method, inherits and no-defaults are the stanza line's own nodes.
   An option's name is a word /[A-Za-z0-9_][^ \t\n\\]*/ that is none of
   those and no keyword. That was written "word - keyword - /family|.../",
   but libaugeas compiles a lens' regular expressions again for every load
   and every file it writes, and those differences cost each of them about
   25 ms. So the set is spelled out as a trie: a word that leaves every
   keyword's path, or ends inside one, or (below "allow-") has a character
   that no allow-[a-z-]+ has. tests/unit/test_lenses.py builds both
   expressions from the keyword lists and compares them with this text and
   with the differences they replace. *)
let option =
  let name = /([bceghjklopquwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_][^ \t\n\\]*|a([^ \t\n\\lu][^ \t\n\\]*|l([^ \t\n\\l][^ \t\n\\]*|l([^ \t\n\\o][^ \t\n\\]*|o([^ \t\n\\w][^ \t\n\\]*|w([^ \t\n\\-][^ \t\n\\]*|-([a-z-]*[^ \t\n\\a-z-][^ \t\n\\]*)?)?)?)?)?|u([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\o][^ \t\n\\]*|o([^ \t\n\\][^ \t\n\\]*))?)?)?|d([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\f][^ \t\n\\]*|f([^ \t\n\\a][^ \t\n\\]*|a([^ \t\n\\u][^ \t\n\\]*|u([^ \t\n\\l][^ \t\n\\]*|l([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\s][^ \t\n\\]*|s([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?)?)?|f([^ \t\n\\a][^ \t\n\\]*|a([^ \t\n\\m][^ \t\n\\]*|m([^ \t\n\\i][^ \t\n\\]*|i([^ \t\n\\l][^ \t\n\\]*|l([^ \t\n\\y][^ \t\n\\]*|y([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?|i([^ \t\n\\fn][^ \t\n\\]*|f([^ \t\n\\a][^ \t\n\\]*|a([^ \t\n\\c][^ \t\n\\]*|c([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\][^ \t\n\\]*))?)?)?|n([^ \t\n\\ht][^ \t\n\\]*|h([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\r][^ \t\n\\]*|r([^ \t\n\\i][^ \t\n\\]*|i([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\s][^ \t\n\\]*|s([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?|t([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\r][^ \t\n\\]*|r([^ \t\n\\f][^ \t\n\\]*|f([^ \t\n\\a][^ \t\n\\]*|a([^ \t\n\\c][^ \t\n\\]*|c([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?)?)?)?|m([^ \t\n\\ae][^ \t\n\\]*|a([^ \t\n\\p][^ \t\n\\]*|p([^ \t\n\\p][^ \t\n\\]*|p([^ \t\n\\i][^ \t\n\\]*|i([^ \t\n\\n][^ \t\n\\]*|n([^ \t\n\\g][^ \t\n\\]*|g([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?|e([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\h][^ \t\n\\]*|h([^ \t\n\\o][^ \t\n\\]*|o([^ \t\n\\d][^ \t\n\\]*|d([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?|n([^ \t\n\\o][^ \t\n\\]*|o([^ \t\n\\-][^ \t\n\\]*|-([^ \t\n\\ads][^ \t\n\\]*|a([^ \t\n\\u][^ \t\n\\]*|u([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\o][^ \t\n\\]*|o([^ \t\n\\-][^ \t\n\\]*|-([^ \t\n\\d][^ \t\n\\]*|d([^ \t\n\\o][^ \t\n\\]*|o([^ \t\n\\w][^ \t\n\\]*|w([^ \t\n\\n][^ \t\n\\]*|n([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?)?)?)?|d([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\f][^ \t\n\\]*|f([^ \t\n\\a][^ \t\n\\]*|a([^ \t\n\\u][^ \t\n\\]*|u([^ \t\n\\l][^ \t\n\\]*|l([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\s][^ \t\n\\]*|s([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?)?)?|s([^ \t\n\\c][^ \t\n\\]*|c([^ \t\n\\r][^ \t\n\\]*|r([^ \t\n\\i][^ \t\n\\]*|i([^ \t\n\\p][^ \t\n\\]*|p([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\s][^ \t\n\\]*|s([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?)?)?)?)?|r([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\n][^ \t\n\\]*|n([^ \t\n\\a][^ \t\n\\]*|a([^ \t\n\\m][^ \t\n\\]*|m([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?|s([^ \t\n\\o][^ \t\n\\]*|o([^ \t\n\\u][^ \t\n\\]*|u([^ \t\n\\r][^ \t\n\\]*|r([^ \t\n\\c][^ \t\n\\]*|c([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\-][^ \t\n\\]*|-([^ \t\n\\d][^ \t\n\\]*|d([^ \t\n\\i][^ \t\n\\]*|i([^ \t\n\\r][^ \t\n\\]*|r([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\c][^ \t\n\\]*|c([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\o][^ \t\n\\]*|o([^ \t\n\\r][^ \t\n\\]*|r([^ \t\n\\y][^ \t\n\\]*|y([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?)?)?)?)?))?)?)?)?)?|t([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\m][^ \t\n\\]*|m([^ \t\n\\p][^ \t\n\\]*|p([^ \t\n\\l][^ \t\n\\]*|l([^ \t\n\\a][^ \t\n\\]*|a([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?)?)?|v([^ \t\n\\l][^ \t\n\\]*|l([^ \t\n\\a][^ \t\n\\]*|a([^ \t\n\\n][^ \t\n\\]*|n([^ \t\n\\][^ \t\n\\]*))?)?)?)/ in
  [ indent "   " . key name . (sep . rest)? . eol ]

(* ifupdown-ng: a bare "auto" inside a stanza marks that stanza's interface *)
let auto_here = [ indent "   " . key "auto" . eol ]

let body = (option | auto_here | comment | empty)*

(* iface NAME [FAMILY] [METHOD] [inherits BASE] [no-defaults] *)
let family = /inet6?|ipx|can|link|meta/
let tail =
  let fam = [ sep . label "family" . store family ] in
  (* word - family - /inherits|no-defaults/, spelled out (see option) *)
  let meth = [ sep . label "method" . store /([^ \t\n\\cilmn][^ \t\n\\]*|c([^ \t\n\\a][^ \t\n\\]*|a([^ \t\n\\n][^ \t\n\\]*|n([^ \t\n\\][^ \t\n\\]*))?)?|i([^ \t\n\\np][^ \t\n\\]*|n([^ \t\n\\eh][^ \t\n\\]*|e([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\6][^ \t\n\\]*|6([^ \t\n\\][^ \t\n\\]*)))?|h([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\r][^ \t\n\\]*|r([^ \t\n\\i][^ \t\n\\]*|i([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\s][^ \t\n\\]*|s([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?)?|p([^ \t\n\\x][^ \t\n\\]*|x([^ \t\n\\][^ \t\n\\]*))?)?|l([^ \t\n\\i][^ \t\n\\]*|i([^ \t\n\\n][^ \t\n\\]*|n([^ \t\n\\k][^ \t\n\\]*|k([^ \t\n\\][^ \t\n\\]*))?)?)?|m([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\a][^ \t\n\\]*|a([^ \t\n\\][^ \t\n\\]*))?)?)?|n([^ \t\n\\o][^ \t\n\\]*|o([^ \t\n\\-][^ \t\n\\]*|-([^ \t\n\\d][^ \t\n\\]*|d([^ \t\n\\e][^ \t\n\\]*|e([^ \t\n\\f][^ \t\n\\]*|f([^ \t\n\\a][^ \t\n\\]*|a([^ \t\n\\u][^ \t\n\\]*|u([^ \t\n\\l][^ \t\n\\]*|l([^ \t\n\\t][^ \t\n\\]*|t([^ \t\n\\s][^ \t\n\\]*|s([^ \t\n\\][^ \t\n\\]*))?)?)?)?)?)?)?)?)?)?)/ ] in
  let inherits = [ sep . key "inherits" . sep . store word ] in
  let nodefaults = [ sep . key "no-defaults" ] in
  fam? . meth? . (inherits | nodefaults)*

let stanza = [ indent "" . key /iface|interface|template|vlan/ . sep . store word . tail . eol . body ]
let defaults = [ indent "" . key "defaults" . tail . eol . body ]
let mapping = [ indent "" . key "mapping" . sep . rest . eol . body ]

(* auto eth0 eth1, allow-hotplug eth0, rename a=b: one child per word *)
let words = [ indent "" . key /auto|allow-[a-z-]+|no-auto-down|no-scripts|rename/ . counter "w"
            . [ sep . seq "w" . store word ]+ . eol ]
let source = [ indent "" . key /source|source-directory/ . sep . rest . eol ]

let lns = (comment | empty)* . (stanza | defaults | mapping | (words | source) . (comment | empty)*)*
