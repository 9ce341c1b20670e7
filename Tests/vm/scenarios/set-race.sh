# Two set commands racing: the kernel ends with one command's values or the other's, never
# a mix, even when one of them matches part of what the kernel held before.
. /guest/lib.sh
i=0
while [ $i -lt 30 ]; do
    ipvsadm --set 900 120 300
    ipvstune set 900 60 30 >/dev/null &
    ipvstune set 7200 120 300 >/dev/null &
    wait
    case $(kernel_timeouts) in
        "900 60 30"|"7200 120 300") ;;
        *) fail "round $i: a mix of two sets: $(kernel_timeouts)" ;;
    esac
    i=$((i + 1))
done
