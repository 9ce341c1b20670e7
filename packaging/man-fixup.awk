# Tidies the mdoc page generate-manual writes from the command definitions: a blank line
# becomes a paragraph break, and the exit status table in the description stays a table.
/^$/ { print ".Pp"; next }
$0 == "EXIT STATUS" { print ".Pp"; print "Exit status:"; print ".Bd -literal -offset indent"; table = 1; next }
table && /^\./ { print ".Ed"; table = 0 }
table { print; next }
{ print }
