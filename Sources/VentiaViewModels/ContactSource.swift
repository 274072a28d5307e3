import VentiaAPI
import VentiaCore
import VentiaMirror

/// Where the contact list's rows come from: the account's mirror (the normal case) or, without
/// one, the server's pages as the user scrolls. The list asks its source and never which it has.
@MainActor
protocol ContactSource: AnyObject {
    /// Shows what is held at once, then starts fetching.
    func start()
    /// Fetches what changed, keeping the rows on screen until the answer arrives.
    func refresh()
    /// The rows for the filter or view in force (nil: the list's `contacts`), with the count matched.
    func search() -> [Contact]?
    /// Indices into `rows` that the filter and the view in force let through, in row order.
    func shown(_ rows: [Contact]) -> [Int]
    /// More rows as the selection nears the end of what is shown.
    func loadMore()
    /// Every contact (`A`).
    func loadAll()
    /// A contact a write changed, before the list's rows take it.
    func keep(_ contact: Contact)
    /// The list's `contacts` changed order or content (after `keep`).
    func rowsChanged()
    /// Contacts changed elsewhere (a colleague, the team gateway's sync), already in the mirror if there is one.
    func changedElsewhere(_ contacts: [Contact])
    /// A contact by id beyond the rows shown.
    func lookUp(id: String) -> Contact?
    /// How many contacts each query matches.
    func counts(_ queries: [ContactQuery]) -> [Int]
    /// Every contact a query matches (a bulk action's).
    func contacts(matching query: ContactQuery) -> [Contact]
    /// The user opened a contact.
    func opened(_ id: String)
}
