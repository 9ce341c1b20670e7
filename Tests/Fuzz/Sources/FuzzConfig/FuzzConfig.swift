import FuzzProperties

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let problems = FuzzProperties.config(Array(UnsafeRawBufferPointer(start: start, count: count)))
    if let first = problems.first { fatalError("config property: \(first)") }
    return 0
}
