# A config with anything wrong is refused with exit 78 and one line naming file and line,
# and apply changes nothing: not even the values that were right.
. /guest/lib.sh
ipvsadm --set 1000 100 10

refused() {
    what=$1 where=$2
    run ipvstune apply
    expect_rc 78 "$what"
    expect_one_line_error "$what"
    expect_contains "$err" "$where" "$what: names the place"
    expect_kernel "1000 100 10" "$what: kernel untouched"
}

conf() { printf "$1" > /etc/ipvstune.conf; chmod 644 /etc/ipvstune.conf; }

conf 'tcp = 7200\nbogus = 1\n';          refused "unknown key" "/etc/ipvstune.conf:2"
conf 'TCP = 7200\n';                     refused "key in the wrong case" "/etc/ipvstune.conf:1"
conf 'tcp = 7200\nudp = banana\n';       refused "bad value" "/etc/ipvstune.conf:2"
conf 'tcp = 0\n';                        refused "zero" "/etc/ipvstune.conf:1"
conf 'tcp = -5\n';                       refused "negative" "/etc/ipvstune.conf:1"
conf 'tcp = 1.5\n';                      refused "fractional" "/etc/ipvstune.conf:1"
conf 'tcp = 99999999999999999999\n';     refused "overflow" "/etc/ipvstune.conf:1"
conf 'tcp = 32d\n';                      refused "above 31 days" "/etc/ipvstune.conf:1"
conf 'tcp = 7200\ntcp = 3600\n';         refused "duplicate key" "/etc/ipvstune.conf:2"
conf 'tcp 7200\n';                       refused "missing =" "/etc/ipvstune.conf:1"
conf 'tcp = 7200 # two hours\n';         refused "trailing comment" "/etc/ipvstune.conf:1"
conf 'tcp = 72';                         run ipvstune apply; expect_rc 0 "a last line without newline is fine"
ipvsadm --set 1000 100 10
head -c 3000 /bin/busybox > /etc/ipvstune.conf; refused "binary file" "/etc/ipvstune.conf"
printf 'tcp = 7200\nudp = 6\000\n' > /etc/ipvstune.conf; refused "NUL byte" "/etc/ipvstune.conf"
printf 'tcp = 7200\nudp = \377\376\n' > /etc/ipvstune.conf; refused "invalid UTF-8" "/etc/ipvstune.conf"
awk 'BEGIN { for (i = 0; i < 20000; i++) print "# padding line " i }' > /etc/ipvstune.conf
echo "tcp = 7200" >> /etc/ipvstune.conf
run ipvstune apply; expect_rc 0 "a long, comment-heavy file is fine"; expect_kernel "7200 100 10"
ipvsadm --set 1000 100 10
head -c 2000000 /dev/zero | tr '\0' '#' > /etc/ipvstune.conf; refused "huge file" "/etc/ipvstune.conf"
conf 'tcp = 7200\r\nudp = 60\r\n'; run ipvstune apply; expect_rc 0 "CRLF line ends"; expect_kernel "7200 100 60"
ipvsadm --set 1000 100 10

# Empty config: nothing configured, nothing done, success.
: > /etc/ipvstune.conf
run ipvstune apply; expect_rc 0 "empty config"; expect_kernel "1000 100 10" "empty config"

# A broken drop-in stops the good main file too.
conf 'tcp = 7200\n'
mkdir -p /etc/ipvstune.d
printf 'udp = 1.5\n' > /etc/ipvstune.d/20-bad.conf
refused "broken drop-in" "/etc/ipvstune.d/20-bad.conf:1"
rm -rf /etc/ipvstune.d

# Files other users could change are refused, the way sshd refuses them.
conf 'tcp = 7200\n'
chmod 666 /etc/ipvstune.conf;            refused "world-writable config" "/etc/ipvstune.conf"
chmod 620 /etc/ipvstune.conf;            refused "group-writable config" "/etc/ipvstune.conf"
chmod 644 /etc/ipvstune.conf; chown op /etc/ipvstune.conf; refused "config owned by a user" "/etc/ipvstune.conf"
chown root /etc/ipvstune.conf
mkdir -p /etc/ipvstune.d; printf 'udp = 60\n' > /etc/ipvstune.d/10.conf
chmod 777 /etc/ipvstune.d;               refused "world-writable drop-in folder" "/etc/ipvstune.d"
chmod 755 /etc/ipvstune.d; chmod 666 /etc/ipvstune.d/10.conf; refused "world-writable drop-in" "/etc/ipvstune.d/10.conf"

# show-config lists every problem, one per line, and exits 78 too.
chmod 644 /etc/ipvstune.d/10.conf
printf 'tcp = x\nudp = y\n' > /etc/ipvstune.conf
run ipvstune show-config
expect_rc 78 "show-config with problems"
expect_eq "$(printf '%s\n' "$err" | wc -l)" 2 "show-config lists both problems"
