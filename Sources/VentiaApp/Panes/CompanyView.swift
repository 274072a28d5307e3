import Foundation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The group configuration.
@MainActor
struct CompanyView {
    let session: AppSession
    let dates: DateText
    let hints: KeyHints
    let theme = Theme.standard

    /// The group configuration, read-only, as one scrollable page.
    func company(into buffer: inout CellBuffer, area: Rect, scroll: Int) {
        guard session.group != nil else {
            LoadPlaceholder.render(session.groupState, noun: "company configuration", hints: hints, into: &buffer, area: area)
            return
        }
        let lines = self.lines()
        let scroll = max(0, min(scroll, lines.count - area.height))
        for (index, line) in lines.dropFirst(scroll).prefix(area.height).enumerated() {
            buffer.write(line.0, at: Point(x: area.x + 1, y: area.y + index), maxWidth: area.width - 2, style: line.1)
        }
    }

    /// The page's lines and their styles; none before the group has loaded.
    func lines() -> [(String, Style)] {
        guard let group = session.group else { return [] }
        var lines: [(String, Style)] = [
            ("\(group.name)" + (group.businessName.map { " · \($0)" } ?? "") + (group.country.map { " · \($0.uppercased())" } ?? ""), theme.title), ("", theme.text),
        ]
        func section(_ title: String, _ rows: [String]) {
            lines.append(("\(title) (\(rows.count))", theme.header))
            lines += rows.isEmpty ? [("  —", theme.dimText)] : rows.map { ("  " + $0, theme.text) }
            lines.append(("", theme.text))
        }
        func flag(_ active: Bool) -> String { active ? "" : "  (inactive)" }
        section("Archiving reasons", group.archivingReasons.map { "\($0.name)  [\($0.code)]" + flag($0.active) })
        section("Origins", group.origins.map { "\($0.name)  [\($0.code)]" + flag($0.active) })
        section("Visit results", group.visitResults.map { "\($0.name)  [\($0.code)]  \($0.type ?? "")" + flag($0.active) })
        section("Additional data fields", group.additionalDataFields.map { field in
            "\(field.name)  [\(field.code)]  \(field.type)" + (field.required ? "  required" : "") + (field.options.isEmpty ? "" : "  options: " + field.options.map(\.displayText).joined(separator: ", ")) + flag(field.active)
        })
        section("Status tags", group.statusTags.map { $0.label + ($0.code.map { "  [\($0)]" } ?? "") })
        // A group the key cannot list shows its whole id here, where there is room for it.
        section("Descendant groups", group.descendants.map { id in session.groups.first { $0.id == id }.map { "\($0.name)  [\(id)]" } ?? id })
        return lines
    }
}
