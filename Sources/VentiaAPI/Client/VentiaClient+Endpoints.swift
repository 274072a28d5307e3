import Foundation

/// One method per endpoint of the contract's table, in its order.
extension VentiaClient {
    /// Called once, on the client's queue, with a request's result.
    public typealias Completion<T> = @Sendable (Result<T, VentiaError>) -> Void

    public static func pageQuery(_ page: Int?, _ limit: Int?) -> [URLQueryItem] {
        var items: [URLQueryItem] = []
        if let page { items.append(URLQueryItem(name: "page", value: String(page))) }
        if let limit { items.append(URLQueryItem(name: "limit", value: String(limit))) }
        return items
    }

    // MARK: CRM

    /// 1. Contacts, newest `updatedAt` first; 0-based pages.
    @discardableResult
    public func listContacts(
        page: Int? = nil, limit: Int? = nil, lane: RequestLane = .interactive, on queue: DispatchQueue, completion: @escaping Completion<[Contact]>
    ) -> RequestHandle {
        send(.listContacts, query: Self.pageQuery(page, limit), as: [Contact].self, lane: lane, on: queue, completion: completion)
    }

    /// 2.
    @discardableResult
    public func getContact(id: String, lane: RequestLane = .interactive, on queue: DispatchQueue, completion: @escaping Completion<Contact>) -> RequestHandle {
        send(.getContact, path: [id], as: Contact.self, lane: lane, on: queue, completion: completion)
    }

    /// 3. A new contact starts with status `new`.
    @discardableResult
    public func createContact(_ input: ContactInput, lane: RequestLane = .interactive, on queue: DispatchQueue, completion: @escaping Completion<Contact>) -> RequestHandle {
        send(.createContact, body: input, as: Contact.self, lane: lane, on: queue, completion: completion)
    }

    /// 4. Replaces the six editable fields.
    @discardableResult
    public func replaceContact(id: String, with input: ContactInput, lane: RequestLane = .interactive, on queue: DispatchQueue, completion: @escaping Completion<Contact>)
        -> RequestHandle
    {
        send(.replaceContact, path: [id], body: input, as: Contact.self, lane: lane, on: queue, completion: completion)
    }

    /// 5. The contact's timeline, newest first.
    @discardableResult
    public func listInteractions(
        contactId: String, page: Int? = nil, limit: Int? = nil, lane: RequestLane = .interactive, on queue: DispatchQueue, completion: @escaping Completion<[Interaction]>
    ) -> RequestHandle {
        send(.listInteractions, path: [contactId], query: Self.pageQuery(page, limit), as: [Interaction].self, lane: lane, on: queue, completion: completion)
    }

    /// 6. Only the notes, newest first.
    @discardableResult
    public func listNotes(
        contactId: String, page: Int? = nil, limit: Int? = nil, lane: RequestLane = .interactive, on queue: DispatchQueue, completion: @escaping Completion<[Interaction]>
    ) -> RequestHandle {
        send(.listNotes, path: [contactId], query: Self.pageQuery(page, limit), as: [Interaction].self, lane: lane, on: queue, completion: completion)
    }

    /// 7.
    @discardableResult
    public func createNote(contactId: String, body: String, lane: RequestLane = .interactive, on queue: DispatchQueue, completion: @escaping Completion<Interaction>) -> RequestHandle {
        send(.createNote, path: [contactId], body: NoteInput(body: body), as: NoteCreated.self, lane: lane, on: queue) { completion($0.map(\.note)) }
    }

    /// 8. `reason` is the code of an active archiving reason.
    @discardableResult
    public func archiveContact(contactId: String, reason: String, lane: RequestLane = .interactive, on queue: DispatchQueue, completion: @escaping Completion<Interaction>)
        -> RequestHandle
    {
        send(.archiveContact, path: [contactId], body: ArchiveInput(reason: reason), as: ContactArchived.self, lane: lane, on: queue) {
            completion($0.map(\.archive))
        }
    }

    /// 9. Hands the contact to another active user.
    @discardableResult
    public func transferContact(contactId: String, to userId: String, lane: RequestLane = .interactive, on queue: DispatchQueue, completion: @escaping Completion<Interaction>)
        -> RequestHandle
    {
        send(.transferContact, path: [contactId], body: TransferInput(to: userId), as: ContactTransferred.self, lane: lane, on: queue) {
            completion($0.map(\.transfer))
        }
    }

    /// 10.
    @discardableResult
    public func createReminder(contactId: String, at date: Date, lane: RequestLane = .interactive, on queue: DispatchQueue, completion: @escaping Completion<Interaction>)
        -> RequestHandle
    {
        send(.createReminder, path: [contactId], body: ReminderInput(reminderDate: date), as: ReminderCreated.self, lane: lane, on: queue) {
            completion($0.map(\.reminder))
        }
    }

    /// 11. A lead matching an existing contact answers with that contact (and a note for its agent).
    @discardableResult
    public func createLead(_ input: LeadInput, lane: RequestLane = .interactive, on queue: DispatchQueue, completion: @escaping Completion<Contact>) -> RequestHandle {
        send(.createLead, body: input, as: Contact.self, lane: lane, on: queue, completion: completion)
    }

    /// 12.
    @discardableResult
    public func createLeadEntry(formCode: String, _ input: LeadEntryInput, on queue: DispatchQueue, completion: @escaping Completion<LeadEntry>)
        -> RequestHandle
    {
        send(.createLeadEntry, path: [formCode], body: input, as: LeadEntry.self, on: queue, completion: completion)
    }

    // MARK: People

    /// 13. Active users of the key's group and its descendants.
    @discardableResult
    public func listUsers(page: Int? = nil, limit: Int? = nil, on queue: DispatchQueue, completion: @escaping Completion<[User]>) -> RequestHandle {
        send(.listUsers, query: Self.pageQuery(page, limit), as: [User].self, on: queue, completion: completion)
    }

    /// 14.
    @discardableResult
    public func createUser(_ input: UserInput, on queue: DispatchQueue, completion: @escaping Completion<User>) -> RequestHandle {
        send(.createUser, body: input, as: User.self, on: queue, completion: completion)
    }

    /// 15.
    @discardableResult
    public func getUser(id: String, on queue: DispatchQueue, completion: @escaping Completion<User>) -> RequestHandle {
        send(.getUser, path: [id], as: User.self, on: queue, completion: completion)
    }

    /// 16. PATCH: only the fields set in `patch` are sent.
    @discardableResult
    public func updateUser(id: String, _ patch: UserPatch, on queue: DispatchQueue, completion: @escaping Completion<User>) -> RequestHandle {
        send(.updateUser, path: [id], body: patch, as: User.self, on: queue, completion: completion)
    }

    /// 17. PUT: what is left out is reset.
    @discardableResult
    public func replaceUser(id: String, with replacement: UserReplacement, on queue: DispatchQueue, completion: @escaping Completion<User>)
        -> RequestHandle
    {
        send(.replaceUser, path: [id], body: replacement, as: User.self, on: queue, completion: completion)
    }

    /// 18.
    @discardableResult
    public func listGroups(page: Int? = nil, limit: Int? = nil, on queue: DispatchQueue, completion: @escaping Completion<[Group]>) -> RequestHandle {
        send(.listGroups, query: Self.pageQuery(page, limit), as: [Group].self, on: queue, completion: completion)
    }

    // MARK: Sales

    /// 19. 1-based pages, with totals.
    @discardableResult
    public func listSales(page: Int? = nil, limit: Int? = nil, on queue: DispatchQueue, completion: @escaping Completion<SalesPage>) -> RequestHandle {
        send(.listSales, query: Self.pageQuery(page, limit), as: SalesPage.self, on: queue, completion: completion)
    }

    /// 20.
    @discardableResult
    public func createSale(_ input: SaleInput, on queue: DispatchQueue, completion: @escaping Completion<Sale>) -> RequestHandle {
        send(.createSale, body: input, as: Sale.self, on: queue, completion: completion)
    }

    /// 21.
    @discardableResult
    public func getSale(id: String, on queue: DispatchQueue, completion: @escaping Completion<Sale>) -> RequestHandle {
        send(.getSale, path: [id], as: Sale.self, on: queue, completion: completion)
    }

    /// 22. A locked sale answers 403 (`VentiaError.forbidden`).
    @discardableResult
    public func updateSale(id: String, _ patch: SalePatch, on queue: DispatchQueue, completion: @escaping Completion<Sale>) -> RequestHandle {
        send(.updateSale, path: [id], body: patch, as: Sale.self, on: queue, completion: completion)
    }

    /// 23. Updates the sale with that id, or creates it.
    @discardableResult
    public func upsertSale(id: String, _ input: SaleInput, on queue: DispatchQueue, completion: @escaping Completion<Sale>) -> RequestHandle {
        send(.upsertSale, path: [id], body: input, as: Sale.self, on: queue, completion: completion)
    }

    // MARK: WhatsApp

    /// 24. A closed 24-hour window answers 409 (`VentiaError.conflict`) unless the message is a template.
    @discardableResult
    public func sendWhatsAppMessage(
        channelId: String, contactId: String, _ request: WhatsAppSendRequest, on queue: DispatchQueue,
        completion: @escaping Completion<WhatsAppSendResult>
    ) -> RequestHandle {
        send(.sendWhatsAppMessage, path: [channelId, contactId], body: request, as: WhatsAppSendResult.self, on: queue, completion: completion)
    }

    // MARK: Webhooks

    /// 25.
    @discardableResult
    public func listWebhooks(page: Int? = nil, limit: Int? = nil, on queue: DispatchQueue, completion: @escaping Completion<WebhookList>)
        -> RequestHandle
    {
        send(.listWebhooks, query: Self.pageQuery(page, limit), as: WebhookList.self, on: queue, completion: completion)
    }

    /// 26. Answers the new webhook's id.
    @discardableResult
    public func createWebhook(_ input: WebhookInput, on queue: DispatchQueue, completion: @escaping Completion<String>) -> RequestHandle {
        send(.createWebhook, body: input, as: WebhookCreated.self, on: queue) { completion($0.map(\.id)) }
    }

    /// 27.
    @discardableResult
    public func getWebhook(id: String, on queue: DispatchQueue, completion: @escaping Completion<Webhook>) -> RequestHandle {
        send(.getWebhook, path: [id], as: WebhookEnvelope.self, on: queue) { completion($0.map(\.result)) }
    }

    /// 28.
    @discardableResult
    public func updateWebhook(id: String, _ patch: WebhookPatch, on queue: DispatchQueue, completion: @escaping Completion<Void>) -> RequestHandle {
        send(.updateWebhook, path: [id], body: patch, as: SuccessAnswer.self, on: queue) { completion($0.map { _ in () }) }
    }
}
