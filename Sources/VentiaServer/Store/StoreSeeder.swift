import Foundation
import TextSearch
import VentiaAPI

/// The demo keys, fixed so docs and scripts can name them. Four groups of seven, like real keys.
public enum DemoKeys {
    public static let primaryAccount = ["DEMO0A1-VENTIA0-LOCAL00-KEY0001", "DEMO0A1-VENTIA0-LOCAL00-KEY0002"]
    public static let secondaryAccount = ["DEMO0B2-VENTIA0-LOCAL00-KEY0001", "DEMO0B2-VENTIA0-LOCAL00-KEY0002"]
}

/// Builds the deterministic demo store: the same seed and sizes give the same data; times are laid
/// out backwards from `now`, so the demo always looks current.
struct StoreSeeder {
    var seed: UInt64
    var contactCount: Int
    var saleCount: Int
    var now: Date

    /// Ids are stamped with a fixed second, so they stay the same from one start to the next.
    static let idEpoch = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01

    /// What the seeder holds while it writes: the id counter and the small tables, which later
    /// steps look things up in; contacts, timelines and sales go straight to the database.
    struct Draft {
        var idCounter: UInt64 = 0
        var accounts: [AccountRecord] = []
        var groups: [String: GroupRecord] = [:]
        var users: [String: UserRecord] = [:]
        /// Per account, in creation (and id) order: the contacts with a phone, for sales to name.
        var phoneContacts: [String: [(name: String, phone: String)]] = [:]
        /// Names recur (they come from a short vocabulary): each is folded for an email once.
        var foldedNames: [String: String] = [:]

        mutating func foldForEmail(_ name: String) -> String {
            if let known = foldedNames[name] { return known }
            let folded = StoreSeeder.foldForEmail(name)
            foldedNames[name] = folded
            return folded
        }

        var interactionCount = 0

        mutating func nextInteractionSeq() -> Int {
            interactionCount += 1
            return interactionCount
        }

        mutating func makeId(at date: Date) -> String {
            idCounter += 1
            return ObjectIdFormat.make(at: date, counter: idCounter)
        }
    }

    /// Writes the whole seeded store; the caller holds the transaction.
    func seed(into writer: some SeedSink) throws {
        var state = Draft()
        var random = SeededGenerator(seed: seed)
        let primary = makeAccount(
            &state, &random, name: "Inmobiliaria Rambla", displayName: "Rambla", businessName: "Rambla Propiedades SAS",
            keys: DemoKeys.primaryAccount, branch: "Sucursal Pocitos", agents: SeedVocabulary.agentNames,
            forms: ["web-contacto", "feria-inmobiliaria"])
        let secondary = makeAccount(
            &state, &random, name: "Ferretería del Sur", displayName: "Del Sur", businessName: "Del Sur Ferretería SRL",
            keys: DemoKeys.secondaryAccount, branch: nil, agents: [("Hugo", "Bentancor"), ("Patricia", "Laborde"), ("Elena", "Quiroga")],
            forms: ["contacto"])
        try addContacts(&state, &random, account: primary, count: contactCount, writer)
        try addContacts(&state, &random, account: secondary, count: max(5, contactCount / 25), writer)
        try addSales(&state, &random, account: primary, count: saleCount, writer)
        try addSales(&state, &random, account: secondary, count: max(3, saleCount / 12), writer)
        try addWebhooks(&state, account: primary, names: ["CRM → ERP", "Bot de guardia"], writer)
        try addWebhooks(&state, account: secondary, names: ["Notificaciones"], writer)
        for account in state.accounts { try writer.add(.account(account)) }
        for group in state.groups.values.sorted(by: { $0.id < $1.id }) { try writer.add(.group(group)) }
        for user in state.users.values.sorted(by: { $0.id < $1.id }) { try writer.add(.user(user)) }
        try writer.add(.counters(ids: state.idCounter, interactions: state.interactionCount))
    }

    private func id(_ state: inout Draft) -> String { state.makeId(at: Self.idEpoch) }

    private func option(_ state: inout Draft, _ name: String, _ code: String, active: Bool = true, type: String? = nil, ghost: Bool? = nil)
        -> GroupRecord.Option
    {
        GroupRecord.Option(id: id(&state), name: name, code: code, active: active, type: type, ghost: ghost)
    }

    private func makeAccount(
        _ state: inout Draft, _ random: inout SeededGenerator, name: String, displayName: String, businessName: String,
        keys: [String], branch: String?, agents: [(String, String)], forms: [String]
    ) -> AccountRecord {
        let accountId = id(&state)
        let groupId = id(&state)
        let group = GroupRecord(
            id: groupId, accountId: accountId, name: name, displayName: displayName, businessName: businessName, country: "uy",
            parentId: nil,
            archivingReasons: [
                option(&state, "No le interesa", "notinterested", type: "normal"),
                option(&state, "Compró con otro", "boughtelsewhere", type: "normal"),
                option(&state, "Datos erróneos", "wrongdata", type: "normal"),
                option(&state, "Sin presupuesto", "nobudget", type: "normal"),
                option(&state, "Duplicado", "duplicate", active: false, type: "normal"),
            ],
            origins: [
                option(&state, "Local", "local", ghost: false), option(&state, "Tienda", "store", active: false, ghost: false),
                option(&state, "Web", "web", ghost: false), option(&state, "Instagram", "instagram", ghost: false),
                option(&state, "Referido", "referral", ghost: false), option(&state, "Campaña", "campaign", ghost: false),
            ],
            visitResults: [
                option(&state, "Habló con el dueño", "ownertalk", type: "done", ghost: false),
                option(&state, "No estaba", "notathome", type: "notdone", ghost: false),
                option(&state, "Reagendada", "rescheduled", type: "pending", ghost: false),
            ],
            additionalDataFields: [
                GroupRecord.DataField(id: id(&state), name: "Nombre de la casa", code: "housename", type: "string", active: true, required: true, options: []),
                GroupRecord.DataField(id: id(&state), name: "Dormitorios", code: "bedrooms", type: "number", active: true, required: false, options: []),
                GroupRecord.DataField(
                    id: id(&state), name: "Barrio", code: "neighbourhood", type: "select", active: true, required: false,
                    options: ["Pocitos", "Carrasco", "Malvín", "Centro", "Cordón"]),
            ],
            statusTags: [option(&state, "VIP", "vip"), option(&state, "Urgente", "urgent")])
        state.groups[groupId] = group
        var branchId: String?
        if let branch {
            let childId = id(&state)
            var child = group
            child.id = childId
            child.name = branch
            child.displayName = branch
            child.parentId = groupId
            state.groups[childId] = child
            branchId = childId
        }
        for (index, agent) in agents.enumerated() {
            let roles: [String] = index == 0 ? ["user", "super"] : (index % 3 == 1 ? ["user", "comercial"] : ["user"])
            let user = UserRecord(
                id: id(&state), accountId: accountId, groupId: (index >= agents.count - 2 ? branchId : nil) ?? groupId,
                name: agent.0, lastname: agent.1, email: Self.email(agent.0, agent.1, domain: displayName.lowercased() + ".com.uy"),
                passwordDigest: PasswordDigest.make("demo"), phoneWork: index % 2 == 0 ? "09\(random.digits(7))" : nil, roles: roles,
                active: true, firstLoginAt: index % 4 == 3 ? nil : now.addingTimeInterval(-Double(86400 * (30 + index * 11))))
            state.users[user.id] = user
        }
        let former = UserRecord(
            id: id(&state), accountId: accountId, groupId: groupId, name: "Ex", lastname: "Empleado",
            email: "ex.empleado@" + displayName.lowercased() + ".com.uy", passwordDigest: PasswordDigest.make("demo"), phoneWork: nil,
            roles: ["user"], active: false, firstLoginAt: now.addingTimeInterval(-86400 * 400))
        state.users[former.id] = former
        let account = AccountRecord(
            id: accountId, name: name, keys: keys, groupId: groupId, saleStatuses: ["SOLD", "PENDING", "CANCELLED"],
            channelIds: [id(&state)], leadFormCodes: forms)
        state.accounts.append(account)
        return account
    }

    private func agents(of account: AccountRecord, in state: Draft) -> [UserRecord] {
        state.users.values.filter { $0.accountId == account.id && $0.active }.sorted { $0.id < $1.id }
    }

    private func addContacts(
        _ state: inout Draft, _ random: inout SeededGenerator, account: AccountRecord, count: Int, _ writer: some SeedSink
    ) throws {
        let agents = agents(of: account, in: state)
        let origins = state.groups[account.groupId]?.origins.filter(\.active).map(\.code) ?? ["local"]
        let reasons = state.groups[account.groupId]?.archivingReasons.filter(\.active).map(\.code) ?? []
        for index in 0..<count {
            var first = random.pick(SeedVocabulary.firstNames)
            var last = random.pick(SeedVocabulary.lastNames) + (random.chance(0.3) ? " " + random.pick(SeedVocabulary.lastNames) : "")
            var detail = random.pick(SeedVocabulary.details)
            // A few contacts carry text a terminal must handle with care: wide characters, emoji, and control codes.
            if index == 3 { (first, last) = ("王", "小明") }
            if index == 7 { (first, last, detail) = ("Zoë", "Ñandú 😀", "Llamar \u{1B}[31murgente\u{1B}[0m\u{07} — nota pegada de otro sistema") }
            let created = now.addingTimeInterval(-Double.random(in: 3600...(400 * 86400), using: &random))
            let agent = random.pick(agents)
            var contact = ContactRecord(
                id: id(&state), accountId: account.id, firstName: first, lastName: last, origin: random.pick(origins),
                phones: random.chance(0.95) ? ["+5989\(random.digits(7))"] : [],
                emails: random.chance(0.7) ? [Self.email(first, last, domain: random.pick(SeedVocabulary.emailDomains)) { state.foldForEmail($0) }] : [],
                detail: detail, agent: agent.id, firstAgent: agent.id, agentAssigned: created, archivingReason: "",
                status: random.pick(SeedVocabulary.contactStatuses), attention: "not_actions", reminder: nil, channels: [],
                visits: Int.random(in: 0...3, using: &random), createdAt: created, updatedAt: created, lastInteraction: created, version: 0)
            if !contact.phones.isEmpty {
                contact.channels = Array(account.channelIds.prefix(1))
                state.phoneContacts[account.id, default: []].append((contact.firstName + " " + contact.lastName, contact.phones[0]))
            }
            var stored = contact
            let timeline = addTimeline(&state, &random, contact: contact, stored: &stored, agents: agents, reasons: reasons)
            try writer.add(.contact(stored))
            for interaction in timeline { try writer.add(.interaction(interaction)) }
        }
    }

    /// The contact's timeline, oldest first; `stored` takes what the timeline changes of the contact.
    private func addTimeline(
        _ state: inout Draft, _ random: inout SeededGenerator, contact: ContactRecord, stored: inout ContactRecord, agents: [UserRecord],
        reasons: [String]
    ) -> [InteractionRecord] {
        var timeline: [InteractionRecord] = []
        func add(type: String, content: JSONValue, agent: String?, via: String, at time: Date) {
            timeline.append(
                InteractionRecord(
                    id: state.makeId(at: time), accountId: contact.accountId, contactId: contact.id, agent: agent, type: type, content: content,
                    via: via, createdAt: time, seq: state.nextInteractionSeq()))
            stored.lastInteraction = time
            stored.updatedAt = time
        }
        let span = now.timeIntervalSince(contact.createdAt)
        var times = (0..<Int.random(in: 0...6, using: &random)).map { _ in
            contact.createdAt.addingTimeInterval(Double.random(in: 0...span, using: &random))
        }.sorted()
        let recentWhatsApp = !contact.phones.isEmpty && random.chance(0.12)
        let recentTime = now.addingTimeInterval(-Double.random(in: 600...(20 * 3600), using: &random))
        if recentWhatsApp {
            times.append(recentTime)
            times.sort()
        }
        var agent = contact.agent
        for (position, time) in times.enumerated() {
            let isLast = position == times.count - 1
            let roll = random.chance(0.5) ? 0 : Int.random(in: 1...4, using: &random)
            if recentWhatsApp && time == recentTime {
                add(
                    type: "official_whatsapp", content: Self.whatsApp(random.pick(SeedVocabulary.inboundMessages), inbound: true, &random),
                    agent: agent, via: "whatsapp", at: time)
                continue
            }
            switch roll {
            case 1:
                let date = time.addingTimeInterval(Double(Int.random(in: 1...72, using: &random) * 3600))
                add(type: "reminder", content: ["reminderDate": .date(date)], agent: agent, via: "web", at: time)
                stored.reminder = date
            case 2 where agents.count > 1:
                let target = random.pick(agents.filter { $0.id != agent })
                add(type: "transfer", content: ["fromUser": .optional(agent), "toUser": .string(target.id)], agent: agent, via: "web", at: time)
                agent = target.id
                stored.agent = target.id
                stored.agentAssigned = time
            case 3 where !contact.phones.isEmpty:
                let inbound = random.chance(0.5)
                let text = random.pick(inbound ? SeedVocabulary.inboundMessages : SeedVocabulary.outboundMessages)
                add(type: "official_whatsapp", content: Self.whatsApp(text, inbound: inbound, &random), agent: agent, via: "whatsapp", at: time)
            case 4 where isLast && !reasons.isEmpty && random.chance(0.5):
                let reason = random.pick(reasons)
                add(type: "archiving", content: ["from": "", "to": .string(reason)], agent: agent, via: "web", at: time)
                stored.status = "archived"
                stored.archivingReason = reason
            default:
                add(type: "note", content: ["body": .string(random.pick(SeedVocabulary.notes))], agent: agent, via: "web", at: time)
            }
        }
        return timeline
    }

    private static func whatsApp(_ text: String, inbound: Bool, _ random: inout SeededGenerator) -> JSONValue {
        [
            "direction": .string(inbound ? "inbound" : "outbound"), "type": "text", "text": ["body": .string(text)],
            "id": .string("wamid.seed\(random.digits(12))"),
        ]
    }

    private func addSales(
        _ state: inout Draft, _ random: inout SeededGenerator, account: AccountRecord, count: Int, _ writer: some SeedSink
    ) throws {
        let agents = agents(of: account, in: state)
        // A user who has left still names the sales made before: the users list no longer has them.
        let former = state.users.values.filter { $0.accountId == account.id && !$0.active }.sorted { $0.id < $1.id }
        let contacts = state.phoneContacts[account.id] ?? []
        guard !contacts.isEmpty else { return }
        for index in 0..<count {
            let contact = random.pick(contacts)
            // Mostly working hours in Montevideo; some late enough to be the next day in UTC.
            let hour = random.chance(0.15) ? Int.random(in: 0...2, using: &random) : Int.random(in: 12...21, using: &random)
            var day = Calendar.utc.startOfDay(for: now.addingTimeInterval(-Double(Int.random(in: 0...59, using: &random)) * 86400))
                .addingTimeInterval(Double(hour * 3600 + 15 * 60))
            // Later today has not come yet: another day instead, so that no day holds twice its share.
            if day > now { day.addTimeInterval(-86400 * Double(Int.random(in: 1...59, using: &random))) }
            let statusRoll = Double.random(in: 0..<1, using: &random)
            let status = statusRoll < 0.6 ? "SOLD" : (statusRoll < 0.85 ? "PENDING" : "CANCELLED")
            let created = min(now, day.addingTimeInterval(3600))
            let sale = SaleRecord(
                id: id(&state), accountId: account.id, ticketId: "T-\(10_000 + index)", ticketSaleId: "S-\(random.digits(6))", date: day,
                dateSale: day, name: contact.name, phone: contact.phone, govId: random.digits(8),
                type: random.chance(0.6) ? "online" : "presencial", product: random.pick(SeedVocabulary.products), status: status,
                lock: random.chance(0.1), user: (former.isEmpty || !random.chance(0.06) ? random.pick(agents) : random.pick(former)).id,
                importation: random.chance(0.5) ? "Public API" : "Excel", value: Self.saleValue(&random), removeFromGoal: random.chance(0.08),
                createdAt: created, updatedAt: created, version: 0)
            try writer.add(.sale(sale))
        }
    }

    /// Mostly round amounts; some free (0), some with cents.
    private static func saleValue(_ random: inout SeededGenerator) -> Double {
        let roll = Double.random(in: 0..<1, using: &random)
        if roll < 0.05 { return 0 }
        let whole = Double(Int.random(in: 10...400, using: &random) * 50)
        return roll < 0.2 ? whole + Double(Int.random(in: 1...99, using: &random)) / 100 : whole
    }

    private func addWebhooks(_ state: inout Draft, account: AccountRecord, names: [String], _ writer: some SeedSink) throws {
        for (index, name) in names.enumerated() {
            let hook = WebhookRecord(
                id: id(&state), accountId: account.id, name: name, callbackUrl: "https://hooks.example.com/ventia/\(index + 1)",
                topics: index == 0 ? WebhookTopic.all : [WebhookTopic.officialWhatsApp], active: index == 0,
                createdAt: now.addingTimeInterval(-Double(86400 * (90 - index * 10))))
            try writer.add(.webhook(hook))
        }
    }

    /// `agustin.suarez@dominio`: accents folded, spaces dropped.
    static func email(_ first: String, _ last: String, domain: String, fold: (String) -> String = Self.foldForEmail) -> String {
        let local = [fold(first), fold(String(last.prefix { $0 != " " }))].filter { !$0.isEmpty }
        return (local.isEmpty ? "cliente" : local.joined(separator: ".")) + "@" + domain
    }

    static func foldForEmail(_ text: String) -> String {
        TextFolding.fold(text).filter { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()
}
