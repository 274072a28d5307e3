import Foundation
import VentiaAPI

/// CRM endpoints 1–10: contacts and their timeline.
extension VentiaAPIService {
    func listContacts(_ call: Call) throws(APIFailure) -> Answer {
        let (page, limit) = try call.crmPage()
        let key = ContactPageCache.Key(account: call.account.id, page: page, limit: limit)
        if let kept = store.contactPages.page(key) { return .encoded(kept) }
        let generation = store.contactPages.generation
        let (contacts, writer) = try store.read { state throws(APIFailure) in
            let contacts = try state.contactPage(of: call.account, page: page, size: limit)
            return (contacts, state.listWriter(for: contacts, account: call.account))
        }
        let bytes = writer.page(contacts)
        store.contactPages.keep(bytes, for: key, writtenAt: generation)
        return .encoded(bytes)
    }

    func getContact(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "idcontact")
        return try store.read { state throws(APIFailure) in
            state.listJSON(try state.contact(id, of: call.account), account: call.account)
        }
    }

    func createContact(_ call: Call) throws(APIFailure) -> JSONValue {
        var body = try call.body()
        let input = try readContactFields(&body, account: call.account)
        return try store.write { state throws(APIFailure) in
            let contact = try state.insertContact(input, agent: nil, account: call.account, now: call.now)
            return state.createdJSON(contact, account: call.account)
        }
    }

    func replaceContact(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "idcontact")
        var body = try call.body()
        let input = try readContactFields(&body, account: call.account)
        return try store.write { state throws(APIFailure) in
            let stored = try state.contact(id, of: call.account)
            var contact = stored
            contact.firstName = input.firstName
            contact.lastName = input.lastName
            contact.emails = input.emails
            contact.phones = input.phones
            contact.detail = input.detail
            contact.origin = input.origin
            contact.version += 1
            contact.updatedAt = call.now
            contact.lastInteraction = call.now
            try state.update(contact, from: stored)
            return state.modifiedJSON(contact, account: call.account)
        }
    }

    func listInteractions(_ call: Call, onlyNotes: Bool) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "idcontact")
        let (page, limit) = try call.crmPage()
        return try store.read { state throws(APIFailure) in
            _ = try state.contact(id, of: call.account)
            let interactions = try state.interactionPage(of: id, onlyNotes: onlyNotes, page: page, size: limit)
            return .array(interactions.map { state.json($0) })
        }
    }

    func createNote(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "idcontact")
        var body = try call.body()
        let text = body.string("body", required: true, allowEmpty: false)
        try body.finish()
        return try store.write { state throws(APIFailure) in
            let contact = try state.contact(id, of: call.account)
            let note = try state.addInteraction(
                to: contact, type: "note", content: ["body": .string(text ?? "")], agent: contact.agent, via: "api", now: call.now)
            return ["note": state.json(note)]
        }
    }

    func archiveContact(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "idcontact")
        var body = try call.body()
        let reason = body.string("reason", required: true, allowEmpty: false)
        try body.finish()
        return try store.write { state throws(APIFailure) in
            let stored = try state.contact(id, of: call.account)
            var contact = stored
            let reasons = state.group(call.account.groupId)?.archivingReasons.filter(\.active) ?? []
            guard let reason, reasons.contains(where: { $0.code == reason }) else {
                throw .invalidField(
                    "reason", "must be the code of an active archiving reason (\(reasons.map(\.code).joined(separator: ", ")))")
            }
            let previous = contact.archivingReason
            contact.archivingReason = reason
            contact.status = "archived"
            contact.updatedAt = call.now
            try state.update(contact, from: stored)
            let archive = try state.addInteraction(
                to: contact, type: "archiving", content: ["from": .string(previous), "to": .string(reason)], agent: contact.agent,
                via: "api", now: call.now)
            return ["archive": state.json(archive)]
        }
    }

    func transferContact(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "idcontact")
        var body = try call.body()
        let target = body.string("to", required: true, allowEmpty: false)
        try body.finish()
        return try store.write { state throws(APIFailure) in
            let stored = try state.contact(id, of: call.account)
            var contact = stored
            guard let target, ObjectIdFormat.isValid(target), try state.activeUser(target, in: call.account) != nil else {
                throw .invalidField("to", "must be the id of an active user of this account")
            }
            let previous = contact.agent
            contact.agent = target
            contact.agentAssigned = call.now
            contact.updatedAt = call.now
            try state.update(contact, from: stored)
            let transfer = try state.addInteraction(
                to: contact, type: "transfer", content: ["fromUser": .optional(previous), "toUser": .string(target)],
                agent: previous ?? target, via: "api", now: call.now)
            return ["transfer": state.json(transfer)]
        }
    }

    func createReminder(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "idcontact")
        var body = try call.body()
        let text = body.string("reminderDate", required: true, allowEmpty: false)
        try body.finish()
        guard let text, let date = VentiaDate.parseDateTime(text) else {
            throw .invalidField("reminderDate", "must be a full ISO-8601 date and time, such as 2023-05-23T20:25:02.561Z")
        }
        return try store.write { state throws(APIFailure) in
            let stored = try state.contact(id, of: call.account)
            var contact = stored
            contact.reminder = date
            contact.updatedAt = call.now
            try state.update(contact, from: stored)
            let reminder = try state.addInteraction(
                to: contact, type: "reminder", content: ["reminderDate": .date(date)], agent: contact.agent, via: "api", now: call.now)
            return ["message": "Reminder created", "reminder": state.json(reminder)]
        }
    }

    // MARK: Leads

    func createLead(_ call: Call) throws(APIFailure) -> JSONValue {
        var body = try call.body()
        let agent = body.string("agent", required: true, allowEmpty: false)
        let input = try readContactFields(&body, account: call.account)
        return try store.write { state throws(APIFailure) in
            guard let agent, ObjectIdFormat.isValid(agent), try state.activeUser(agent, in: call.account) != nil else {
                throw .invalidField("agent", "must be the id of an active user of this account")
            }
            if let existing = try state.matchingContact(phones: input.phones, emails: input.emails, account: call.account) {
                // A known lead is not duplicated: its owner is told with a note.
                let text = "New campaign lead for this contact: \(input.firstName) \(input.lastName)"
                    + (input.detail.isEmpty ? "" : " — \(input.detail)")
                try state.addInteraction(
                    to: existing, type: "note", content: ["body": .string(text)], agent: existing.agent, via: "api", now: call.now)
                return state.createdJSON(try state.contact(existing.id, of: call.account), account: call.account)
            }
            let contact = try state.insertContact(input, agent: agent, account: call.account, now: call.now)
            return state.createdJSON(contact, account: call.account)
        }
    }

    func createLeadEntry(_ call: Call) throws(APIFailure) -> JSONValue {
        let code = call.parameters.first ?? ""
        guard call.account.leadFormCodes.contains(code) else {
            throw .notFound("No lead entry form with code \"\(ErrorExcerpt.make(from: code, key: nil, limit: 40))\"")
        }
        var body = try call.body()
        let firstName = body.string("firstName")
        let lastName = body.string("lastName") ?? ""
        let phones = body.strings("phones") ?? []
        let emails = body.strings("emails") ?? []
        let detail = body.string("detail") ?? ""
        let actionId = body.string("action_id")
        let additionalData = body.object("additionalData") ?? [:]
        for (index, email) in emails.enumerated() where !EmailAddress.isValid(email) {
            body.fail("emails[\(index)]", "must be a valid email address")
        }
        if phones.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) && emails.isEmpty && body.errors.isEmpty {
            body.fail("phones", "at least one phone or email is required")
        }
        try body.finish()
        return try store.write { state throws(APIFailure) in
            let entry = LeadEntryRecord(
                id: state.makeId(at: call.now), accountId: call.account.id, formCode: code, firstName: firstName, lastName: lastName,
                phones: phones, emails: emails, detail: detail, actionId: actionId, additionalData: additionalData, createdAt: call.now)
            try state.insert(entry)
            return state.json(entry)
        }
    }

    /// Reads and checks the six contact fields, all required.
    func readContactFields(_ body: inout RequestBody, account: AccountRecord) throws(APIFailure) -> ContactInput {
        let firstName = body.string("firstName", required: true, allowEmpty: false)
        let lastName = body.string("lastName", required: true)
        let emails = body.strings("emails", required: true)
        let phones = body.strings("phones", required: true)
        let detail = body.string("detail", required: true)
        let origin = body.string("origin", required: true, allowEmpty: false)
        for (index, email) in (emails ?? []).enumerated() where !EmailAddress.isValid(email) {
            body.fail("emails[\(index)]", "must be a valid email address")
        }
        for (index, phone) in (phones ?? []).enumerated() where !PhoneNumber.isPlausible(phone) {
            body.fail("phones[\(index)]", "must be a phone number (digits, optionally with +, spaces or dashes)")
        }
        if let origin {
            let known = store.catalog.groups[account.groupId]?.origins.map(\.code) ?? []
            if !known.isEmpty, !known.contains(origin) {
                body.fail("origin", "must be one of the account's origins (\(known.joined(separator: ", ")))")
            }
        }
        try body.finish()
        return ContactInput(
            firstName: firstName ?? "", lastName: lastName ?? "", emails: emails ?? [], phones: phones ?? [], detail: detail ?? "",
            origin: origin ?? "")
    }
}
