# Tidies the mdoc page generate-manual writes from the command definitions: a blank line
# becomes a paragraph break, the exit status table in the description stays a table, and
# a command's "Examples:" (up to the next blank line) stay as written, unfilled.
examples && (/^$/ || /^\./) { print ".Ed"; examples = 0 }
/^$/ { print ".Pp"; next }
$0 == "EXIT STATUS" { print ".Pp"; print "Exit status:"; print ".Bd -literal -offset indent"; table = 1; next }
table && /^\./ { print ".Ed"; table = 0 }
table { print; next }
$0 == "Examples:" { print; print ".Bd -literal -offset indent"; examples = 1; next }
examples { sub(/^  /, ""); print; next }
{ print }
