# Every invalid input is a usage error (64) with one line on stderr, and changes nothing.
. /guest/lib.sh
ipvsadm --set 1000 100 10

check_invalid() {
    run ipvstune "$@"
    expect_rc 64 "ipvstune $*"
    expect_one_line_error "ipvstune $*"
    [ -z "$out" ] || fail "ipvstune $*: printed '$out' on stdout"
    expect_kernel "1000 100 10" "after ipvstune $*"
}

check_invalid set 0 0 0
check_invalid set
check_invalid set 7200 120
check_invalid set 7200 120 300 60
check_invalid set -- -1 0 0
check_invalid set 1.5 0 0
check_invalid set 7200 abc 300
check_invalid set 7200 120 2678401
check_invalid set 32d 0 0
check_invalid set 1h30 0 0
check_invalid set 30m1h 0 0
check_invalid set 99999999999999999999 0 0
check_invalid set --tcp ""
check_invalid set --tcp 0 --udp 0
check_invalid set --tcp 2h --udp -5
check_invalid set 7200 120 300 --tcp 5
check_invalid set --bogus 5
check_invalid get nosuchtimeout
check_invalid nosuchcommand
