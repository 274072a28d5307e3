import ArgumentParser
import Foundation
import VentiaCommandLine

/// `ventia-gateway`: the team's gateway in front of the real Ventia API.
@main
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ventia-gateway",
        abstract: "A team's gateway in front of the Ventia API: one budget for every agent, tokens, lanes, coalescing, audit.",
        discussion: """
            Agents point ventia (or any Ventia client) at the gateway with a token of their own; the gateway holds \
            the account's real key and shares the account's 200 requests a minute between them. Every replica keeps \
            its state in the PostgreSQL database of DATABASE_URL (postgres://user:password@host:port/database).

            Exit status: 0 done; 1 refused (a token that does not exist, an agent who already has one); 2 unusable \
            configuration (DATABASE_URL, the key, a key file others can read); 64 bad usage; 69 the database could \
            not be reached.
            """,
        version: "0.1.0",
        subcommands: [ServeCommand.self, TokenCommand.self, AuditCommand.self, LedgerBenchmarkCommand.self])
}

/// Says why on standard error, then ends with `status` (the numbers `ventia` uses).
func fail(_ status: ExitStatus, _ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("ventia-gateway: \(message)\n".utf8))
    return ExitCode(status.rawValue)
}
