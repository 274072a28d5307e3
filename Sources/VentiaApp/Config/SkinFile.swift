import Foundation
import TerminalUI
import Yams

/// A skin: `role: color` lines in YAML, naming a color for any of the theme's roles (selection,
/// header, dim, error, warning, success, accent, border) over the standard theme. A color is a
/// 256-color number or `#rrggbb` (shown as the nearest of 256 colors). Every problem names the
/// file and the line.
enum SkinFile {
    static func parse(_ yaml: String, path: String) -> Result<Theme, ConfigFile.Problem> {
        func problem(_ line: Int?, _ message: String) -> Result<Theme, ConfigFile.Problem> {
            .failure(ConfigFile.Problem(path: path, line: line, message: message))
        }
        let root: Node?
        switch ConfigFile.compose(yaml, path: path) {
        case .success(let node): root = node
        case .failure(let failure): return .failure(failure)
        }
        guard let mapping = root?.mapping else { return problem(root?.mark?.line, "a skin is `role: color` lines (roles: \(roles))") }
        var colors: [Theme.Role: Color] = [:]
        for (keyNode, valueNode) in mapping {
            let line = keyNode.mark?.line
            guard let name = keyNode.scalar?.string, let role = Theme.Role(rawValue: name) else {
                return problem(line, "unknown role \"\((keyNode.scalar?.string ?? "").prefix(40))\" (roles: \(roles))")
            }
            guard let text = valueNode.scalar?.string, let color = color(text) else {
                return problem(line, "\(name) takes a color: a number from 0 to 255 or #rrggbb, not \"\((valueNode.scalar?.string ?? "a list").prefix(40))\"")
            }
            colors[role] = color
        }
        return .success(Theme.standard.with(colors))
    }

    static let roles = Theme.Role.allCases.map(\.rawValue).joined(separator: ", ")

    /// `0`–`255`, or `#rrggbb`.
    static func color(_ text: String) -> Color? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let number = Int(text), (0...255).contains(number) { return .indexed(UInt8(number)) }
        guard text.hasPrefix("#"), text.count == 7, let value = UInt32(text.dropFirst(), radix: 16) else { return nil }
        return .rgb(UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF))
    }
}
