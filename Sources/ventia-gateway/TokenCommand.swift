import ArgumentParser
import Foundation
import VentiaCommandLine
import VentiaGateway

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke agents' tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a token for an agent and print it, once: the database keeps only its hash.",
            discussion: "The agent uses it as ventia's key: VENTIA_API_KEY, or `ventia auth login` against the gateway's base URL.")
        @Option(help: "The agent's name (letters, digits, '.', '_', '-', '@'; at most 64).") var agent: String

        func run() async throws {
            let database = try await DatabaseEnvironment.open(logger: DatabaseEnvironment.quietLogger)
            defer { database.close() }
            do {
                let token = try await TokenStore(database).create(agent: agent)
                print(token)
            } catch {
                throw fail(error.isDatabase ? .unreachable : .refused, error.description)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the agents with a live token: created, last used. Never the token.")
        @Flag(help: "One JSON array instead of a table.") var json = false

        func run() async throws {
            let database = try await DatabaseEnvironment.open(logger: DatabaseEnvironment.quietLogger)
            defer { database.close() }
            let records: [AgentTokenRecord]
            do {
                records = try await TokenStore(database).list()
            } catch {
                throw fail(.unreachable, error.description)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(records), as: UTF8.self))
                return
            }
            let formatter = ISO8601DateFormatter()
            let rows = records.map { [$0.agent, formatter.string(from: $0.createdAt), $0.lastUsedAt.map(formatter.string) ?? "never"] }
            print(RecordTable(columns: ["AGENT", "CREATED", "LAST USED"], rows: rows).text(), terminator: "")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an agent's token: its next request gets 401.")
        @Argument(help: "The agent's name.") var agent: String

        func run() async throws {
            let database = try await DatabaseEnvironment.open(logger: DatabaseEnvironment.quietLogger)
            defer { database.close() }
            do {
                try await TokenStore(database).revoke(agent: agent)
                print("revoked the token of \(agent)")
            } catch {
                throw fail(error.isDatabase ? .unreachable : .refused, error.description)
            }
        }
    }
}

extension TokenStoreError {
    var isDatabase: Bool {
        if case .database = self { return true }
        return false
    }
}
