# Tables and configs with NUL bytes, very long lines, invalid UTF-8 and CRLF line ends:
# clear errors with line numbers and the documented exit codes, never a crash or a hang.
. /guest/lib.sh
good='TCP 0A010002 C862 0A010064 0050 0A020002 1F90 ESTABLISHED     896'
{ echo "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData"
  echo "$good"; printf 'TCP 0A01\0000002 C862 0A010064 0050 0A020002 1F90 ESTABLISHED 5\n'
  echo "$good"; } > /tmp/nul.table
run ipvstune conns --count --file /tmp/nul.table
expect_rc 65 "a NUL byte in the table"
expect_eq "$out" 2 "good rows around a NUL byte are counted"
expect_contains "$err" "line 3" "the NUL line is named"

{ echo "$good"; head -c 3000000 /dev/zero | tr '\0' 'A'; echo; echo "$good"; } > /tmp/long.table
run ipvstune conns --count --file /tmp/long.table
expect_rc 65 "a 3 MB line"
expect_eq "$out" 2 "rows around a very long line"

{ echo "$good"; printf 'TCP 0A010002 C862 0A010064 0050 0A020002 1F90 \377\376STABLISHED 5\n'; } > /tmp/utf8.table
run ipvstune conns --file /tmp/utf8.table --json
expect_rc 65 "invalid UTF-8 in the table"
expect_eq "$(echo "$out" | grep -c .)" 1 "the good row is still listed"

printf '%s\r\n%s\r\n' "$good" "$good" > /tmp/crlf.table
run ipvstune conns --count --file /tmp/crlf.table
expect_rc 0 "CRLF line ends"
expect_eq "$out" 2 "CRLF rows"

head -c 200000 /dev/urandom > /tmp/random.table
run timeout 20 ipvstune conns --summary --file /tmp/random.table
[ "$rc" = 65 ] || [ "$rc" = 0 ] || fail "random bytes as a table: exit $rc"

head -c 200000 /dev/urandom > /etc/ipvstune.conf
run timeout 20 ipvstune apply
expect_rc 78 "random bytes as a config"
expect_one_line_error "random bytes as a config"
