import FuzzProperties

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConns(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let problems = FuzzProperties.conns(Array(UnsafeRawBufferPointer(start: start, count: count)))
    if let first = problems.first { fatalError("conns property: \(first)") }
    return 0
}
