/// Sets timeouts the way every command does: read, skip when all is in place, write, read back.
public enum TimeoutSetter {
    /// Everything requested goes in one request, not only what differed when we read: two
    /// racing commands then leave the kernel with one's values or the other's, never a mix.
    public static func apply(_ update: TimeoutUpdate, to ipvs: IPVSControl) throws(Failure) -> SetOutcome {
        let before = try ipvs.timeouts()
        guard !update.changes(from: before).isEmpty else { return SetOutcome(before: before, after: before) }
        try ipvs.setTimeouts(update)
        return SetOutcome(before: before, after: try ipvs.timeouts())
    }
}
