import VentiaAPI

/// The fields of an answer as the vendor's reference shows it in its sample for that endpoint, no
/// more. `ventia-server --reference-shapes` cuts every successful answer down to them, so that a
/// client is tried against the real service's shapes, not this server's richer ones.
indirect enum ReferenceShape: Equatable, Sendable {
    /// Kept whole: a value, a list of values, or an object whose fields depend on its kind
    /// (an interaction's `content`, a lead entry's `additionalData`).
    case whole
    /// An object with only these fields, each cut to its own shape.
    case fields([String: ReferenceShape])
    /// A list whose every item is cut to this shape.
    case each(ReferenceShape)

    /// An object of `names`, each kept whole unless `nested` gives it a shape.
    static func object(_ names: [String], nested: [String: ReferenceShape] = [:]) -> ReferenceShape {
        .fields(Dictionary(uniqueKeysWithValues: names.map { ($0, nested[$0] ?? .whole) }))
    }

    /// `value` with only the fields this shape names; a value of another kind than the shape
    /// expects is left as it is.
    func cut(_ value: JSONValue) -> JSONValue {
        switch (self, value) {
        case (.whole, _): return value
        case (.fields(let shapes), .object(let object)):
            var kept: [String: JSONValue] = [:]
            for (name, field) in object { if let shape = shapes[name] { kept[name] = shape.cut(field) } }
            return .object(kept)
        case (.each(let shape), .array(let items)): return .array(items.map(shape.cut))
        default: return value
        }
    }
}

extension ReferenceShape {
    /// The shape of each endpoint's successful answer, from the reference's samples.
    static func answer(of endpoint: Endpoint) -> ReferenceShape {
        switch endpoint {
        case .listContacts: return .each(contactListed)
        case .getContact: return contactListed
        case .createContact, .createLead: return contactCreated
        case .replaceContact: return contactModified
        case .listInteractions: return .each(interactionListed)
        case .listNotes: return .each(noteListed)
        case .createNote: return .object(["note"], nested: ["note": interactionCreated])
        case .archiveContact: return .object(["archive"], nested: ["archive": interactionCreated])
        case .transferContact: return .object(["transfer"], nested: ["transfer": interactionCreated])
        case .createReminder: return .object(["message", "reminder"], nested: ["reminder": interactionCreated])
        case .createLeadEntry: return .object(["_id", "firstName", "lastName", "phones", "emails", "detail", "action_id", "additionalData"])
        case .listUsers: return .each(.object(["_id", "roles", "name", "lastname", "email", "phone_work", "group", "firstLogin"]))
        case .createUser, .getUser: return .object(["_id", "name", "lastname", "email", "phone_work", "group", "roles", "firstLogin"])
        case .updateUser, .replaceUser: return .object(["_id", "name", "lastname", "email", "phone_work", "group", "roles"])
        case .listGroups: return .each(group)
        case .listSales:
            return .object(
                ["data", "pagination"],
                nested: ["data": .each(saleListed), "pagination": .object(["totalItems", "totalPages", "currentPage"])])
        case .getSale: return saleListed
        case .createSale: return saleCreated
        case .updateSale: return .object(["_id", "user", "user_string", "status", "date_sale", "sold"])
        case .upsertSale: return .object(["_id", "status", "date_sale", "phone", "name", "user", "product"])
        case .sendWhatsAppMessage:
            return .object(
                ["success", "messaging_product", "contacts", "messages"],
                nested: ["contacts": .each(.object(["input", "wa_id"])), "messages": .each(.object(["id"]))])
        case .listWebhooks:
            return .object(["success", "result", "paging"], nested: ["result": .each(webhook), "paging": .object(["totalCount"])])
        case .createWebhook: return .object(["success", "id"])
        case .getWebhook: return .object(["success", "result"], nested: ["result": webhook])
        case .updateWebhook: return .object(["success"])
        }
    }

    static let contactListed = object([
        "_id", "company", "firstName", "lastName", "origin", "phones", "agent", "agentAssigned", "archivingReason", "status", "emails",
        "detail", "createdAt", "updatedAt", "__v", "lastInteraction", "archivingReasonText", "agentFullName",
    ])

    static let contactCreated = object(
        [
            "company", "firstName", "lastName", "origin", "originText", "phones", "agent", "agentFullName", "firstAgent",
            "firstAgentFullName", "agentAssigned", "archivingReason", "archivingReasonText", "status", "attention", "emails", "detail",
            "stats", "createdCoords", "contactLocation", "databaseUploded", "channels", "assignedGroups", "_id", "lastInteraction",
            "createdAt", "updatedAt", "__v",
        ],
        nested: ["stats": object(["visits"]), "createdCoords": object(["active"]), "contactLocation": object(["location"])])

    static let contactModified = object([
        "_id", "company", "firstName", "lastName", "origin", "phones", "archivingReason", "status", "emails", "detail", "createdAt",
        "updatedAt", "__v", "lastInteraction", "archivingReasonText", "assignedGroups", "attention", "channels", "databaseUploded", "reminder",
    ])

    static let interactionListed = object(["_id", "content", "company", "contact", "status", "via", "type", "createdAt", "updatedAt", "__v"])

    static let noteListed = object(["_id", "content", "company", "agent", "contact", "status", "via", "type", "createdAt", "updatedAt", "__v"])

    static let interactionCreated = object(
        ["content", "_id", "company", "agent", "contact", "status", "via", "createdCoords", "type", "createdAt", "updatedAt", "__v"],
        nested: ["createdCoords": object(["active"])])

    static let group = object(
        [
            "_id", "descendants", "ancestors", "name", "displayName", "businessName", "country", "archivingReasons", "origins",
            "visitResults", "additionalDataFields", "statusTags",
        ],
        nested: [
            "archivingReasons": .each(object(["name", "code", "active", "type", "_id"])),
            "origins": .each(object(["name", "code", "active", "ghost", "_id"])),
            "visitResults": .each(object(["name", "code", "type", "active", "ghost", "group", "_id"])),
            "additionalDataFields": .each(object(["name", "code", "type", "active", "required", "ghost", "group", "options", "_id"])),
        ])

    static let saleListed = object(["_id", "company", "user", "createdAt"], nested: ["user": object(["name", "lastname"])])

    static let saleCreated = object([
        "ticket_id", "ticket_sale_id", "date", "date_sale", "name", "phone", "secondary_phones", "gov_id", "status", "status_lock", "sold",
        "cancel", "lock", "user", "user_string", "user_lock", "user_edit", "company", "importation", "value", "remove_from_goal",
        "comissions", "_id", "createdAt", "updatedAt", "__v",
    ])

    static let webhook = object(["_id", "name", "topics", "active"])
}
