import Foundation
import TextSearch
import VentiaAPI
import VentiaMirror

/// A date condition of a saved view, as written in config.yml: `today`, `tomorrow`, `overdue`,
/// `due today` (today or before), `none`, `any`, `last 7 days`, `next 3 days`, `older than 7 days`.
public enum DateRule: Sendable, Equatable {
    case today, tomorrow, overdue, dueToday, none, any
    case lastDays(Int)
    case nextDays(Int)
    case olderThanDays(Int)

    public static let forms = "today, tomorrow, overdue, due today, none, any, last N days, next N days, older than N days"

    public static func parse(_ text: String) -> DateRule? {
        let words = text.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        switch words {
        case ["today"]: return .today
        case ["tomorrow"]: return .tomorrow
        case ["overdue"]: return .overdue
        case ["due", "today"]: return .dueToday
        case ["none"], ["never"]: return DateRule.none
        case ["any"]: return .any
        default: break
        }
        func days(_ number: String, _ unit: String) -> Int? {
            guard let count = Int(number), count > 0, count <= 3650, unit == "days" || unit == "day" else { return nil }
            return count
        }
        if words.count == 3, words[0] == "last", let count = days(words[1], words[2]) { return .lastDays(count) }
        if words.count == 3, words[0] == "next", let count = days(words[1], words[2]) { return .nextDays(count) }
        if words.count == 4, words[0] == "older", words[1] == "than", let count = days(words[2], words[3]) { return .olderThanDays(count) }
        return nil
    }

    /// The span this rule means at `now`; days are the calendar's (the user's time zone).
    /// `older than` lets a contact without the date through: no interaction at all is older still.
    public func span(now: Date, calendar: Calendar) -> DateSpan {
        let startOfToday = calendar.startOfDay(for: now)
        func day(_ offset: Int) -> Date { calendar.date(byAdding: .day, value: offset, to: startOfToday) ?? startOfToday }
        switch self {
        case .today: return DateSpan(from: startOfToday, to: day(1))
        case .tomorrow: return DateSpan(from: day(1), to: day(2))
        case .overdue: return DateSpan(to: now)
        case .dueToday: return DateSpan(to: day(1))
        case .none: return DateSpan(onlyNone: true)
        case .any: return DateSpan()
        case .lastDays(let count): return DateSpan(from: now.addingTimeInterval(-Double(count) * 86_400), to: now.addingTimeInterval(1))
        case .nextDays(let count): return DateSpan(from: now, to: now.addingTimeInterval(Double(count) * 86_400))
        case .olderThanDays(let count): return DateSpan(to: now.addingTimeInterval(-Double(count) * 86_400), includesNone: true)
        }
    }
}

/// A named filter from config.yml (`views:`), over status, agent, origin and the reminder, last
/// interaction and creation dates. Agents are named as the users list shows them, by id, or `none`.
public struct SavedView: Sendable, Equatable {
    public var name: String
    public var statuses: [String] = []
    public var agents: [String] = []
    public var origins: [String] = []
    public var reminder: DateRule?
    public var lastInteraction: DateRule?
    public var created: DateRule?
    /// Only contacts with an inbound message not read yet (they wrote and wait for an answer).
    public var unread = false
    /// Where it is written, for messages (`config.yml:12`).
    public var source: String?

    public init(name: String, source: String? = nil) {
        self.name = name
        self.source = source
    }

    /// The query at `now`, with agents resolved against the account's users (`me` as `me:` in
    /// config.yml names the agent at the keyboard); an unknown agent is an error that names the choices.
    public func query(users: [User], now: Date, me: String? = nil, calendar: Calendar = .current) -> Result<ContactQuery, SavedViewError> {
        var query = ContactQuery()
        query.statuses = statuses
        query.origins = origins
        query.unread = unread
        for agent in agents {
            let folded = TextFolding.fold(agent)
            if ["none", "unassigned", "nobody"].contains(folded) {
                query.unassigned = true
            } else if folded == "me" {
                guard let me else {
                    return .failure(SavedViewError(view: self, message: "\"me\" needs me: in config.yml (or :me to pick yourself)", choices: []))
                }
                guard let user = User.named(me, among: users) else {
                    return .failure(SavedViewError(view: self, message: "me: \"\(me.prefix(40))\" in config.yml names no user", choices: users.map(\.fullName)))
                }
                query.agents.append(user.id)
            } else if let user = User.named(agent, among: users) {
                query.agents.append(user.id)
            } else {
                return .failure(SavedViewError(view: self, message: "no user is called \"\(agent.prefix(40))\"", choices: users.map(\.fullName) + ["none"]))
            }
        }
        query.reminder = reminder?.span(now: now, calendar: calendar)
        query.lastInteraction = lastInteraction?.span(now: now, calendar: calendar)
        query.created = created?.span(now: now, calendar: calendar)
        return .success(query)
    }
}

extension SavedView {
    /// "My day": what ventia shows under `v` when config.yml has `me:` and no `views:` of its own.
    public static let myDay: [SavedView] = {
        var due = SavedView(name: "my reminders due")
        due.agents = ["me"]
        due.reminder = .dueToday
        var wrote = SavedView(name: "wrote to me")
        wrote.agents = ["me"]
        wrote.unread = true
        var fresh = SavedView(name: "my new contacts")
        fresh.agents = ["me"]
        fresh.statuses = ["new"]  // the status a contact keeps until an agent first reaches them
        return [due, wrote, fresh]
    }()

    /// The views in force: those written in config.yml, else "my day" once `me` is known.
    public static func inForce(configured: [SavedView], me: String?) -> [SavedView] {
        configured.isEmpty && me != nil ? myDay : configured
    }
}

/// A view that cannot run as written: where it is, what is wrong, and what would do.
public struct SavedViewError: Error, Sendable, Equatable, CustomStringConvertible {
    public var view: SavedView
    public var message: String
    public var choices: [String]

    public var description: String {
        let place = view.source.map { "\($0): " } ?? ""
        let shown = choices.prefix(8).joined(separator: ", ") + (choices.count > 8 ? ", …" : "")
        return "\(place)view \"\(view.name)\": \(message)" + (choices.isEmpty ? "" : " (choose: \(shown))")
    }
}
