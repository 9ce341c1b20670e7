import FuzzProperties

// The shim reads libFuzzer's own buffer, so ASan sees the exact end of the message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNetlink(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let problems = FuzzProperties.netlink(UnsafeRawBufferPointer(start: start, count: count))
    if let first = problems.first { fatalError("netlink property: \(first)") }
    return 0
}
