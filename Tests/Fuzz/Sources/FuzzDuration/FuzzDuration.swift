import FuzzProperties

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDuration(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let problems = FuzzProperties.duration(Array(UnsafeRawBufferPointer(start: start, count: count)))
    if let first = problems.first { fatalError("duration property: \(first)") }
    return 0
}
