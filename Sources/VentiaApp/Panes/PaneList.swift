/// Every pane, in tab order: a new pane is its file and one line here.
@MainActor
enum PaneList {
    static let makers: [PaneMaker] = [
        { ContactsPane(services: $0) },
        { UsersPane(services: $0) },
        { SalesPane(services: $0) },
        { CompanyPane(services: $0) },
        { WebhooksPane(services: $0) },
    ]
}
