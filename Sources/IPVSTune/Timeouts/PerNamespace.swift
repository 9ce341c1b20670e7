/// The result of one command in each of several namespaces, in visiting order.
public struct PerNamespace<Value> {
    public var target: NamespaceTarget
    public var result: Result<Value, Failure>

    public init(target: NamespaceTarget, result: Result<Value, Failure>) {
        self.target = target
        self.result = result
    }
}

extension Array {
    /// The exit status of a visit: the first failure's, or success.
    public func worstStatus<Value>() -> ExitStatus where Element == PerNamespace<Value> {
        for item in self { if case .failure(let failure) = item.result { return failure.status } }
        return .success
    }
}
