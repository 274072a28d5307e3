import VentiaAPI

/// How a `ventia` subcommand ends, for scripts: stable numbers, documented in `--help` and the
/// README (docs/command-line.md). Bad usage ends with swift-argument-parser's 64.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Everything asked was done.
    case done = 0
    /// The server refused (a 4xx: not found, invalid, unauthorized), or refused some rows or items.
    case refused = 1
    /// The configuration cannot be used (config.yml, a key file others can read, a bad base URL).
    case configuration = 2
    /// Bad usage: an unknown option, or a value that names nothing (an agent, a reason); the choices are listed.
    case usage = 64
    /// The input file has rows that cannot be read; they were reported and skipped.
    case badInput = 65
    /// The server could not be reached or did not answer.
    case unreachable = 69
    /// The rate budget is spent for longer than `--max-wait`: what was not sent was not sent.
    case throttled = 75

    /// The status for a request's failure.
    public static func of(_ error: VentiaError) -> ExitStatus {
        switch error {
        case .rateLimited: return .throttled
        case .afterRetries(_, let last): return of(last)
        case let other where other.meansUnreachable: return .unreachable
        case .server(let status, _) where status >= 500: return .unreachable
        case .timedOut: return .unreachable
        default: return .refused
        }
    }

    /// The table `--help` and docs/command-line.md show.
    public static let documentation = """
        Exit status: 0 done; 1 refused by the server (or some rows or items refused); 2 unusable \
        configuration; 64 bad usage; 65 unreadable rows in the input file (skipped); 69 server \
        unreachable or not answering; 75 throttled: the rate budget is spent for longer than \
        --max-wait, and nothing more was sent.
        """
}
