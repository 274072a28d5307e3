import Foundation
import VentiaAPI

/// The answer shapes, one per endpoint family, with the quirks the reference's samples show.
extension JSONValue {
    static func date(_ date: Date?) -> JSONValue {
        date.map { .string(VentiaDate.format($0)) } ?? .null
    }
}

extension StoreAccess {
    func originName(_ code: String, account: AccountRecord) -> String {
        group(account.groupId)?.origins.first { $0.code == code }?.name ?? code
    }

    func archivingReasonName(_ code: String, account: AccountRecord) -> String {
        guard !code.isEmpty else { return "" }
        return group(account.groupId)?.archivingReasons.first { $0.code == code }?.name ?? code
    }

    /// What writing these contacts as a list page needs, read now.
    func listWriter(for contacts: [ContactRecord], account: AccountRecord) -> ContactListWriter {
        var names: [String: String] = [:]
        for agent in Set(contacts.compactMap(\.agent)) { names[agent] = userName(agent) }
        return ContactListWriter(
            account: account, archivingReasons: group(account.groupId)?.archivingReasons ?? [], agentNames: names)
    }

    /// The list and get-by-id shape.
    func listJSON(_ contact: ContactRecord, account: AccountRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "_id": .string(contact.id), "company": .string(account.id), "firstName": .string(contact.firstName),
            "lastName": .string(contact.lastName), "origin": .string(contact.origin), "phones": .strings(contact.phones),
            "agent": .optional(contact.agent), "agentAssigned": .date(contact.agentAssigned),
            "archivingReason": .string(contact.archivingReason), "status": .string(contact.status),
            "emails": .strings(contact.emails), "detail": .string(contact.detail), "createdAt": .date(contact.createdAt),
            "updatedAt": .date(contact.updatedAt), "__v": .number(Double(contact.version)),
            "lastInteraction": .date(contact.lastInteraction),
            "archivingReasonText": .string(archivingReasonName(contact.archivingReason, account: account)),
            "agentFullName": .string(userName(contact.agent)), "channels": .strings(contact.channels),
        ]
        if let reminder = contact.reminder { object["reminder"] = .date(reminder) }
        return .object(object)
    }

    /// The create and lead shape.
    func createdJSON(_ contact: ContactRecord, account: AccountRecord) -> JSONValue {
        .object([
            "_id": .string(contact.id), "company": .string(account.id), "firstName": .string(contact.firstName),
            "lastName": .string(contact.lastName), "origin": .string(contact.origin),
            "originText": .string(originName(contact.origin, account: account)), "phones": .strings(contact.phones),
            "agent": .optional(contact.agent), "agentFullName": .string(userName(contact.agent)),
            "firstAgent": .optional(contact.firstAgent), "firstAgentFullName": .string(userName(contact.firstAgent)),
            "agentAssigned": .date(contact.agentAssigned), "archivingReason": .string(contact.archivingReason),
            "archivingReasonText": .string(archivingReasonName(contact.archivingReason, account: account)),
            "status": .string(contact.status), "attention": .string(contact.attention), "emails": .strings(contact.emails),
            "detail": .string(contact.detail), "stats": ["visits": .number(Double(contact.visits))],
            "createdCoords": ["active": false], "contactLocation": ["location": false], "databaseUploded": false,
            "channels": .strings(contact.channels), "assignedGroups": [], "lastInteraction": .date(contact.lastInteraction),
            "createdAt": .date(contact.createdAt), "updatedAt": .date(contact.updatedAt), "__v": .number(Double(contact.version)),
        ])
    }

    /// The modify shape: no agent, but reminder and attention.
    func modifiedJSON(_ contact: ContactRecord, account: AccountRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "_id": .string(contact.id), "company": .string(account.id), "firstName": .string(contact.firstName),
            "lastName": .string(contact.lastName), "origin": .string(contact.origin), "phones": .strings(contact.phones),
            "archivingReason": .string(contact.archivingReason), "status": .string(contact.status),
            "emails": .strings(contact.emails), "detail": .string(contact.detail), "createdAt": .date(contact.createdAt),
            "updatedAt": .date(contact.updatedAt), "__v": .number(Double(contact.version)),
            "lastInteraction": .date(contact.lastInteraction),
            "archivingReasonText": .string(archivingReasonName(contact.archivingReason, account: account)),
            "assignedGroups": [], "attention": .string(contact.attention), "channels": .strings(contact.channels),
            "databaseUploded": false,
        ]
        if let reminder = contact.reminder { object["reminder"] = .date(reminder) }
        return .object(object)
    }

    func json(_ interaction: InteractionRecord) -> JSONValue {
        var object: [String: JSONValue] = [
            "_id": .string(interaction.id), "content": interaction.content, "company": .string(interaction.accountId),
            "contact": .string(interaction.contactId), "status": "started", "via": .string(interaction.via),
            "type": .string(interaction.type), "createdAt": .date(interaction.createdAt),
            "updatedAt": .date(interaction.createdAt), "__v": 0,
        ]
        if let agent = interaction.agent { object["agent"] = .string(agent) }
        if interaction.via == "api" { object["createdCoords"] = ["active": false] }
        return .object(object)
    }

    /// `firstLogin` is a boolean in lists and the create answer, a date from get-by-id once known.
    func json(_ user: UserRecord, firstLogin: FirstLoginShape) -> JSONValue {
        var object: [String: JSONValue] = [
            "_id": .string(user.id), "roles": .strings(user.roles), "name": .string(user.name),
            "lastname": .string(user.lastname), "email": .string(user.email), "phone_work": .optional(user.phoneWork),
            "group": .string(user.groupId),
        ]
        switch firstLogin {
        case .flag: object["firstLogin"] = .bool(user.firstLoginAt == nil)
        case .date: object["firstLogin"] = user.firstLoginAt.map { .date($0) } ?? .bool(true)
        case .omitted: break
        }
        return .object(object)
    }

    enum FirstLoginShape { case flag, date, omitted }

    func json(_ group: GroupRecord) -> JSONValue {
        let descendants = catalog.groups.values.filter { $0.parentId == group.id }.map(\.id).sorted()
        var ancestors: [String] = []
        var parent = group.parentId
        while let id = parent, let found = catalog.groups[id] {
            ancestors.insert(id, at: 0)
            parent = found.parentId
        }
        func options(_ list: [GroupRecord.Option], withGroup: Bool) -> JSONValue {
            .array(
                list.map { option in
                    var object: [String: JSONValue] = [
                        "_id": .string(option.id), "name": .string(option.name), "code": .string(option.code),
                        "active": .bool(option.active),
                    ]
                    if let type = option.type { object["type"] = .string(type) }
                    if let ghost = option.ghost { object["ghost"] = .bool(ghost) }
                    if withGroup { object["group"] = .string(group.id) }
                    return .object(object)
                })
        }
        return .object([
            "_id": .string(group.id), "descendants": .strings(descendants), "ancestors": .strings(ancestors),
            "name": .string(group.name), "displayName": .string(group.displayName), "businessName": .string(group.businessName),
            "country": .string(group.country), "archivingReasons": options(group.archivingReasons, withGroup: false),
            "origins": options(group.origins, withGroup: false), "visitResults": options(group.visitResults, withGroup: true),
            "additionalDataFields": .array(
                group.additionalDataFields.map { field in
                    [
                        "_id": .string(field.id), "name": .string(field.name), "code": .string(field.code),
                        "type": .string(field.type), "active": .bool(field.active), "required": .bool(field.required),
                        "ghost": false, "group": .string(group.id), "options": .strings(field.options),
                    ]
                }),
            "statusTags": options(group.statusTags, withGroup: false),
        ])
    }

    /// The full sale; `userAsObject` for list and get (`{name, lastname}`), an id for the create answer.
    func json(_ sale: SaleRecord, userAsObject: Bool) -> JSONValue {
        let user = (try? self.user(sale.user)) ?? nil
        return .object([
            "_id": .string(sale.id), "company": .string(sale.accountId), "ticket_id": .string(sale.ticketId),
            "ticket_sale_id": .optional(sale.ticketSaleId), "date": .date(sale.date), "date_sale": .date(sale.dateSale),
            "name": .optional(sale.name), "phone": .string(sale.phone), "secondary_phones": [], "gov_id": .optional(sale.govId),
            "type": .optional(sale.type), "product": .optional(sale.product), "status": .string(sale.status),
            "status_lock": .bool(sale.lock), "sold": .bool(sale.status == "SOLD"), "cancel": .bool(sale.status == "CANCELLED"),
            "lock": .bool(sale.lock),
            "user": userAsObject
                ? ["name": .string(user?.name ?? ""), "lastname": .string(user?.lastname ?? "")] : .string(sale.user),
            "user_string": .string(user?.fullName ?? ""), "user_lock": false, "user_edit": false,
            "importation": .string(sale.importation), "value": .number(sale.value), "remove_from_goal": .bool(sale.removeFromGoal),
            "comissions": [], "createdAt": .date(sale.createdAt), "updatedAt": .date(sale.updatedAt),
            "__v": .number(Double(sale.version)),
        ])
    }

    func json(_ webhook: WebhookRecord) -> JSONValue {
        [
            "_id": .string(webhook.id), "name": .string(webhook.name), "topics": .strings(webhook.topics),
            "active": .bool(webhook.active), "callbackUrl": .string(webhook.callbackUrl),
        ]
    }

    func json(_ entry: LeadEntryRecord) -> JSONValue {
        .object([
            "_id": .string(entry.id), "firstName": .optional(entry.firstName), "lastName": .string(entry.lastName),
            "phones": .strings(entry.phones), "emails": .strings(entry.emails), "detail": .string(entry.detail),
            "action_id": .optional(entry.actionId), "additionalData": .object(entry.additionalData),
        ])
    }
}

extension StoreAccess {
    /// The event for `topic` about an interaction, for the account's active hooks subscribed to it:
    /// `{"topic", "createdAt", "account": {"id", "name"}, "contact", "interaction"}` (plus `status`
    /// for a status change), contact and interaction in the API's get-by-id and timeline shapes.
    func webhookEvent(
        _ topic: String, account: AccountRecord, contact: ContactRecord, interaction: InteractionRecord, status: JSONValue? = nil, now: Date
    ) throws(APIFailure) -> WebhookEvent {
        var body: [String: JSONValue] = [
            "topic": .string(topic), "createdAt": .date(now), "account": ["id": .string(account.id), "name": .string(account.name)],
            "contact": listJSON(contact, account: account), "interaction": json(interaction),
        ]
        if let status { body["status"] = status }
        return WebhookEvent(topic: topic, body: .object(body), hooks: try activeWebhooks(of: account, subscribedTo: topic))
    }
}
