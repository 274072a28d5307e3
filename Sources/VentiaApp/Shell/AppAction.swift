import TerminalUI

/// Every action a key can be bound to, named as in `keymaps/actions.yaml`. The keymap files hold
/// the names; the app only ever sees these cases, so a misspelt action cannot silently do nothing.
enum AppAction: String, CaseIterable, Sendable {
    // global
    case quit, help, command, nextPane = "next_pane", previousPane = "previous_pane", refresh, back, cancel, dismiss
    case openNotice = "open_notice"
    case showContacts = "show_contacts", showUsers = "show_users", showSales = "show_sales", showCompany = "show_company"
    case showWebhooks = "show_webhooks"
    // list
    case moveDown = "move_down", moveUp = "move_up", top, bottom, pageDown = "page_down", pageUp = "page_up", open, filter
    case sort, sortReverse = "sort_reverse", mark, markAll = "mark_all", clearMarks = "clear_marks"
    // contact
    case addNote = "add_note", composeNote = "compose_note", setReminder = "set_reminder", transfer, archive, edit, create
    case createLead = "create_lead", loadAll = "load_all", sendWhatsApp = "send_whatsapp"
    case replyWhatsApp = "reply_whatsapp", nextView = "next_view", views
    // form
    case submit, nextField = "next_field", previousField = "previous_field"
    // picker
    case choose
    // users
    case createUser = "create_user", editUser = "edit_user", replaceUser = "replace_user", handOver = "hand_over"
    // sales
    case nextPage = "next_page", previousPage = "previous_page", createSale = "create_sale", editSale = "edit_sale"
    case upsertSale = "upsert_sale", filterStatus = "filter_status", pageSize = "page_size", overview
    case setStatus = "set_status"
    // sales overview
    case nextPeriod = "next_period", customPeriod = "custom_period", previousBar = "previous_bar", nextBar = "next_bar"
    // webhooks
    case createWebhook = "create_webhook", editWebhook = "edit_webhook", toggleWebhook = "toggle_webhook"
}

extension AppAction {
    /// Rows a page motion moves.
    static let pageRows = 10

    /// The row a list motion (down, up, a page, top, bottom) leads to from `current` among `count`
    /// rows, before clamping; nil for any other action.
    func listTarget(from current: Int, count: Int) -> Int? {
        switch self {
        case .moveDown: return current + 1
        case .moveUp: return current - 1
        case .pageDown: return current + Self.pageRows
        case .pageUp: return current - Self.pageRows
        case .top: return 0
        case .bottom: return count - 1
        default: return nil
        }
    }
}

/// The keymap contexts of `keymaps/actions.yaml`.
enum KeymapContext: String, CaseIterable, Sendable {
    case global, list, contact, form, picker, users, sales, webhooks
    case salesOverview = "sales_overview"
}

/// The loaded keymap, asked and answered in `AppAction`s.
struct AppKeymap {
    let keymap: Keymap
    let schema: KeymapSchema

    func action(for key: Key, in contexts: [KeymapContext]) -> AppAction? {
        keymap.action(for: key, in: contexts.map(\.rawValue)).flatMap(AppAction.init(rawValue:))
    }

    func keys(for action: AppAction, in context: KeymapContext) -> [Key] {
        keymap.keys(for: action.rawValue, in: context.rawValue)
    }

    /// The help overlay's sections for these contexts.
    func helpSections(for contexts: [KeymapContext]) -> [HelpSection] {
        schema.helpSections(for: keymap, contexts: contexts.map(\.rawValue))
    }

    /// What the action list names that this build has no code for (or no context it knows):
    /// refused at start, so the help never lists a key that does nothing.
    static func problems(in schema: KeymapSchema, file: String) -> [KeymapIssue] {
        schema.contexts.flatMap { context -> [KeymapIssue] in
            guard KeymapContext(rawValue: context.name) != nil else {
                return [KeymapIssue(file: file, line: nil, text: context.name, message: "no such context in this ventia")]
            }
            return context.actions.filter { AppAction(rawValue: $0.name) == nil }.map {
                KeymapIssue(file: file, line: nil, text: $0.name, message: "no such action in this ventia")
            }
        }
    }
}
