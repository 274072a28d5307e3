import VentiaAPI

/// The lane a request asks for in `Ventia-Lane`: interactive (a person waits on it), write (the
/// outbox), background (sync). A missing or unknown value counts as interactive, so a plain
/// Ventia client is served as a person at a screen.
enum GatewayLane {
    static let headerName = "Ventia-Lane"

    static func parse(_ value: String?) -> RequestLane {
        switch value?.lowercased() {
        case "write": .outbox
        case "background": .background
        default: .interactive
        }
    }

    static func name(_ lane: RequestLane) -> String {
        switch lane {
        case .interactive: "interactive"
        case .outbox: "write"
        case .background: "background"
        }
    }
}
