(*
Module: Suse_Routes
  SUSE static route files: /etc/sysconfig/network/routes and
  /etc/sysconfig/network/ifroute-<interface> (routes(5), ifroute(5)).

  One route a line, in whitespace-separated columns:
    DESTINATION GATEWAY NETMASK INTERFACE [TYPE] [OPTIONS...]
  "-" leaves a column empty, and trailing empty columns may be left out.
  DESTINATION is "default", an address or address/prefix.

  Each route is a "route" node without a value. Its children are, in order,
  "destination", "gateway", "netmask", "interface", "type" and "options";
  a column that the line leaves out has no node, and a "-" is kept as the
  value "-". "options" holds the rest of the line as one string.

  TYPE is the old sysconfig fifth column. wicked (openSUSE 13.2 and later,
  SLE 12 and later) reads everything after INTERFACE as ip-route options and
  takes a bare route type among them as the type. The two agree when the
  fifth word is a route type (unicast, local, broadcast, multicast, throw,
  unreachable, prohibit, blackhole, nat): then it is "type". "-" there is
  also "type", for files written with five fixed columns in mind, though
  wicked skips such a route ("Cannot parse route options"). Any other
  fifth word starts "options": "eth0 metric 100" has no "type".

  wicked also accepts a comment after a route ("... eth0 # uplink"): it is
  a "#comment" child of the route. A backslash at the end of a line
  continues the route on the next line (multipath routes, "nexthop via
  ..."); the backslash and line break stay inside the value of "options".

  New routes are written with single spaces: "default 192.168.0.1 - eth0".

  Every route has the same label, and Augeas alone gives the n-th "route"
  of the tree the spacing of the n-th route line of the file, so removing a
  route would shift the spacing of the lines after it. augnetcf avoids that
  by printing the tree against the file with the removed lines cut out
  (augnetcf/aug.py): removals, appends and value changes are byte-exact.
  (Stock lenses avoid it with seq labels "1", "2", ...; augnetcf's forest
  wants "route".)

  No autoload: augnetcf registers its transforms itself.

About: License
  LGPL-2.1-or-later, like Augeas and its stock lenses.
*)
module Suse_Routes =

  (* Variable: word
       One column: no blanks, no comment sign, no backslash *)
  let word = /[^ \t\r\n#\\]+/

  (* Variable: route_type
       The words that make a fifth column a "type" *)
  let route_type = /unicast|local|broadcast|multicast|throw|unreachable|prohibit|blackhole|nat|-/

  (* View: sep
       Blanks between columns, or a backslash line continuation *)
  let sep = Sep.cl_or_space

  (* Variable: options_re
       The rest of the line, unless its first word is a route type. (Taking
       the type words out of the first word alone keeps the typecheck quick;
       subtracting them from the whole regexp costs minutes and gigabytes.) *)
  let options_re = (word - route_type) . (Rx.cl_or_space . word)*

  let column (name:string) = [ label name . store word ]

  let type = [ label "type" . store route_type ]
  let options = [ label "options" . store options_re ]

  (* View: route
       A route and an optional end-of-line comment *)
  let route =
    let tail = (sep . type)? . (sep . options)? in
    let cols = column "destination"
             . (sep . column "gateway"
               . (sep . column "netmask"
                 . (sep . column "interface" . tail)?)?)? in
    [ label "route" . Util.indent . cols . Util.comment_or_eol ]

  (* View: lns *)
  let lns = (Util.empty | Util.comment | route)*
