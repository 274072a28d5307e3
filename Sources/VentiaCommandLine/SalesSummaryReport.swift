import Foundation
import VentiaAPI
import VentiaCore

/// `ventia sales summary` written as JSON, CSV or text. JSON and CSV carry plain numbers (sums
/// rounded to the cent); text writes amounts as the locale does.
public enum SalesSummaryReport {
    /// `{"from", "to", "total", "byStatus", "byUser", "previous"}`
    public static func json(_ summary: SalesSummary) -> JSONValue {
        var object: [String: JSONValue] = [
            "from": .string(summary.range.first.description), "to": .string(summary.range.last.description),
            "total": total(summary.totals),
            "byStatus": .array(summary.byStatus.map { status in
                ["status": .optional(status.status), "count": count(status.figures.count), "value": money(status.figures.value)]
            }),
            "byUser": .array(summary.sellers.map { seller in
                [
                    "userId": .optional(seller.userId), "name": .string(seller.name), "count": count(seller.figures.count),
                    "value": money(seller.figures.value), "sold": count(seller.figures.sold), "pending": count(seller.figures.pending),
                    "cancelled": count(seller.figures.cancelled),
                ]
            }),
        ]
        if let range = summary.previousRange, let previous = summary.previous {
            object["previous"] = ["from": .string(range.first.description), "to": .string(range.last.description), "total": total(previous)]
        } else {
            object["previous"] = .null
        }
        return .object(object)
    }

    public static let csvColumns = ["section", "from", "to", "status", "userId", "name", "count", "value", "sold", "pending", "cancelled"]

    /// A row for the period, one for each status and each seller, and one for the period before.
    public static func table(_ summary: SalesSummary) -> RecordTable {
        let (from, to) = (summary.range.first.description, summary.range.last.description)
        func row(_ section: String, _ range: (String, String), status: String = "", userId: String = "", name: String = "", _ figures: SalesFigures, outcomes: Bool)
            -> [String]
        {
            [section, range.0, range.1, status, userId, name, String(figures.count), Records.number(rounded(figures.value))]
                + (outcomes ? [String(figures.sold), String(figures.pending), String(figures.cancelled)] : ["", "", ""])
        }
        var rows = [row("total", (from, to), summary.totals, outcomes: true)]
        rows += summary.byStatus.map { row("status", (from, to), status: $0.status ?? "", $0.figures, outcomes: false) }
        rows += summary.sellers.map { row("user", (from, to), userId: $0.userId ?? "", name: $0.name, $0.figures, outcomes: true) }
        if let range = summary.previousRange, let previous = summary.previous {
            rows.append(row("previous", (range.first.description, range.last.description), previous, outcomes: true))
        }
        return RecordTable(columns: csvColumns, rows: rows)
    }

    /// The period's figures beside the previous period's, then by status and by seller.
    public static func text(_ summary: SalesSummary, money: MoneyFormat) -> String {
        var lines = ["Sales \(summary.range.first) – \(summary.range.last)" + (summary.previousRange.map { " · previous \($0.first) – \($0.last)" } ?? "")]
        func percent(_ rate: Double?) -> String { rate.map { "\(Int(($0 * 100).rounded()))%" } ?? "—" }
        let now = summary.totals
        let before = summary.previous
        let overview = RecordTable(columns: ["", "PERIOD", "PREVIOUS"], rows: [
            ["Sales", String(now.count), before.map { String($0.count) } ?? ""],
            ["Value", money.string(now.value), before.map { money.string($0.value) } ?? ""],
            ["Sold", "\(now.sold) · \(money.string(now.soldValue))", before.map { "\($0.sold) · \(money.string($0.soldValue))" } ?? ""],
            ["Pending", String(now.pending), before.map { String($0.pending) } ?? ""],
            ["Cancelled", String(now.cancelled), before.map { String($0.cancelled) } ?? ""],
            ["Sold rate", percent(now.soldRate), before.map { percent($0.soldRate) } ?? ""],
            ["Cancelled rate", percent(now.cancelledRate), before.map { percent($0.cancelledRate) } ?? ""],
            ["Average ticket", now.averageTicket.map(money.string) ?? "—", before.map { $0.averageTicket.map(money.string) ?? "—" } ?? ""],
            ["Off goal", "\(now.offGoal) · \(money.string(now.offGoalValue))", before.map { "\($0.offGoal) · \(money.string($0.offGoalValue))" } ?? ""],
        ])
        lines.append(overview.text().trimmingCharacters(in: .newlines))
        lines.append("")
        lines.append(RecordTable(columns: ["STATUS", "SALES", "VALUE"], rows: summary.byStatus.map {
            [$0.status ?? "—", String($0.figures.count), money.string($0.figures.value)]
        }).text().trimmingCharacters(in: .newlines))
        lines.append("")
        lines.append(RecordTable(columns: ["SELLER", "SALES", "SOLD", "PENDING", "CANCELLED", "VALUE"], rows: summary.sellers.map {
            [$0.name + ($0.isInactive ? " (inactive)" : ""), String($0.figures.count), String($0.figures.sold), String($0.figures.pending),
             String($0.figures.cancelled), money.string($0.figures.value)]
        }).text().trimmingCharacters(in: .newlines))
        if summary.undated > 0 { lines.append("\n\(summary.undated) sale\(summary.undated == 1 ? "" : "s") without a date left out") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func total(_ figures: SalesFigures) -> JSONValue { ["count": count(figures.count), "value": money(figures.value)] }
    static func count(_ value: Int) -> JSONValue { .number(Double(value)) }
    static func money(_ value: Double) -> JSONValue { .number(rounded(value)) }
    /// Sums of cents added as binary fractions drift (`0.30000000000000004`): to the cent.
    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}

extension CommandContext {
    /// Every sale from `firstDay` on (nil: every sale), 100 a request, stopping where the pages
    /// can hold no more of them (`SalesCollector`).
    public func sales(from firstDay: LocalDay?, calendar: Calendar) async -> SalesCollector {
        var collector = SalesCollector(calendar: calendar)
        while true {
            let query = VentiaClient.pageQuery(collector.nextPage, collector.pageSize)
            let page = await get(.listSales, query: query, as: Kept<SalesPage>.self, doing: "listing sales")
            guard collector.add(page.value, json: page.json, wanting: firstDay) else { return collector }
            progress("listing sales: page \(collector.nextPage) of \(collector.totalPages ?? 0)…")
        }
    }
}
