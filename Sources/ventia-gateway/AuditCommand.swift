import ArgumentParser
import Foundation
import VentiaCommandLine
import VentiaGateway

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Show the writes agents made through the gateway: when, who, what, to which record, the upstream's status.")

    @Option(help: "Only this agent's writes.") var agent: String?
    @Option(help: "Only writes since TIME: an ISO-8601 time (2026-12-04T09:00:00Z), a date (2026-12-04), or an age (30m, 12h, 7d).")
    var since: String?
    @Flag(help: "One JSON array.") var json = false
    @Flag(help: "CSV with a header row.") var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("--json and --csv cannot be used together") }
        if let since, Self.parseTime(since, now: Date()) == nil {
            throw ValidationError("--since \(since) is not a time: give 2026-12-04T09:00:00Z, 2026-12-04, or an age such as 30m, 12h or 7d")
        }
    }

    static func parseTime(_ text: String, now: Date) -> Date? {
        if let unit = text.last, let amount = Double(text.dropLast()), amount >= 0 {
            let seconds: Double? = switch unit {
            case "s": 1
            case "m": 60
            case "h": 3600
            case "d": 86_400
            default: nil
            }
            if let seconds { return now.addingTimeInterval(-amount * seconds) }
        }
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date }
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }

    func run() async throws {
        let database = try await DatabaseEnvironment.open(logger: DatabaseEnvironment.quietLogger)
        defer { database.close() }
        let records: [AuditRecord]
        do {
            records = try await AuditLog(database).records(agent: agent, since: since.flatMap { Self.parseTime($0, now: Date()) })
        } catch {
            throw fail(.unreachable, error.description)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if json {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .custom { date, encoder in
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                var container = encoder.singleValueContainer()
                try container.encode(formatter.string(from: date))
            }
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(records), as: UTF8.self))
            return
        }
        let rows = records.map { [formatter.string(from: $0.at), $0.agent, $0.method, $0.endpoint, $0.targetID ?? "", String($0.status)] }
        if csv {
            print(RecordTable(columns: ["at", "agent", "method", "endpoint", "target_id", "status"], rows: rows).csv(), terminator: "")
            return
        }
        if records.isEmpty {
            print("no writes recorded\(agent.map { " for \($0)" } ?? "")\(since.map { " since \($0)" } ?? "")")
            return
        }
        print(RecordTable(columns: ["AT", "AGENT", "METHOD", "ENDPOINT", "TARGET", "STATUS"], rows: rows).text(), terminator: "")
    }
}
