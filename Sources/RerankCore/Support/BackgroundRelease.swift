import Dispatch

/// Frees a large value on a background thread instead of the caller's.
///
/// The live report of a finished million-pair run holds a table of every result; freeing it
/// (a release per result) was nearly all of the 120-150 ms frame that ended such a run.
public enum BackgroundRelease {
    /// Takes `value` and lets it go on a utility queue. Only a matter of time: if the queue gets
    /// to it before this returns, the caller's thread frees it, as before.
    public static func drop<T: Sendable>(_ value: T) {
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(value) {} }
    }
}
