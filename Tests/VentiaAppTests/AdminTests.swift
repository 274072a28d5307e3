import Foundation
import Testing
import VentiaAPI
import VentiaServer
@testable import VentiaViewModels

/// Records every request body on its way to the real transport.
final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    let inner = AsyncHTTPClientTransport.shared
    private let lock = NSLock()
    private var requests: [HTTPRequest] = []

    var recorded: [HTTPRequest] { lock.withLock { requests } }

    func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> any Cancellable {
        lock.withLock { requests.append(request) }
        return inner.send(request, completion: completion)
    }

    func lastBody(for method: HTTPMethod) throws -> [String: JSONValue] {
        let request = try #require(recorded.last { $0.method == method })
        return try #require(try JSONDecoder().decode(JSONValue.self, from: request.body ?? Data()).objectValue)
    }
}

@Suite(.serialized) @MainActor struct AdminActionTests {
    func bed(saleCount: Int = 30, rateLimit: Int = 200) async throws -> (VentiaLocalServer, AppSession, RecordingTransport, SalesListViewModel, AdminActions) {
        let server = try await VentiaLocalServer.start(ServerConfiguration(port: 0, seed: 5, contactCount: 20, saleCount: saleCount, rateLimit: rateLimit))
        let transport = RecordingTransport()
        let client = VentiaClient(configuration: VentiaConfiguration(baseURL: server.baseURL, apiKey: APIKey(DemoKeys.primaryAccount[0])), transport: transport)
        let session = AppSession(client: client, connection: ConnectionInfo(mode: .demo, host: "test"))
        let sales = SalesListViewModel(session: session, pageSize: 10)
        session.loadUsers()
        sales.start()
        await eventually("users and sales") { session.usersState == .loaded && sales.state == .loaded }
        return (server, session, transport, sales, AdminActions(session: session, sales: sales))
    }

    @Test func webhooksAreCreatedPatchedOnlyWhereChangedToggledAndCheckedBeforeSending() async throws {
        let (server, session, transport, _, admin) = try await bed()
        let list = WebhooksViewModel(session: session)
        list.start()
        await eventually("webhooks") { list.state == .loaded }
        let seeded = list.webhooks.count

        let refused = await answered { admin.createWebhook(WebhookInput(active: true, name: "", callbackUrl: "ftp://x", topics: ["other"]), completion: $0) }
        #expect(Set(refused.failureFields) == ["name", "callbackUrl", "topics"])
        #expect(transport.recorded.filter { $0.method == .post }.isEmpty, "refused before sending")

        let input = WebhookInput(active: true, name: "Avisos", callbackUrl: "https://example.com/avisos", topics: [WebhookTopic.officialWhatsApp])
        let id = try await answered { admin.createWebhook(input, completion: $0) }.get()
        list.load()
        await eventually("the new webhook") { list.webhooks.count == seeded + 1 }
        let hook = try #require(list.webhooks.first { $0.id == id })

        var changed = input
        changed.name = "Avisos WhatsApp"
        #expect(try await answered { admin.updateWebhook(hook, WebhookFields.patch(changed, from: hook), completion: $0) }.get())
        #expect(try transport.lastBody(for: .patch) == ["name": "Avisos WhatsApp"], "only what changed")
        let before = transport.recorded.count
        #expect(try await answered { admin.updateWebhook(hook, WebhookFields.patch(input, from: hook), completion: $0) }.get() == false)
        #expect(transport.recorded.count == before, "an unchanged form sends nothing")
        #expect(try await answered { admin.updateWebhook(hook, WebhookPatch(active: false), completion: $0) }.get())
        #expect(try transport.lastBody(for: .patch) == ["active": false])
        list.load()
        await eventually("switched off") { list.webhooks.first { $0.id == id }?.active == false }
        await server.stop()
    }

    @Test func createThenPatchOnlyChangedThenReplaceResets() async throws {
        let (server, session, transport, _, admin) = try await bed()
        let created = await answered {
            admin.createUser(UserInput(name: "Rocío", lastname: "Píriz", email: "rocio@example.com", password: "clave", phoneWork: "099111222", roles: [.user, .comercial]), completion: $0)
        }
        let user = try created.get()
        #expect(session.users.contains { $0.id == user.id })
        #expect(try transport.lastBody(for: .post)["password"] == "clave")

        var values = UserFormValues(user)
        values.lastname = "Píriz Añón"
        let patched = try await answered { admin.updateUser(user, to: values, completion: $0) }.get()
        #expect(try transport.lastBody(for: .patch) == ["lastname": "Píriz Añón"])
        #expect(patched.phoneWork == "099111222" && Set(patched.roles) == [.user, .comercial])

        let before = transport.recorded.count
        _ = await answered { admin.updateUser(patched, to: UserFormValues(patched), completion: $0) }
        #expect(transport.recorded.count == before, "an unchanged form sends nothing")

        var reset = UserFormValues(patched)
        reset.phoneWork = ""
        reset.roles = []
        #expect(reset.resets(comparedWith: patched) == ["work phone 099111222 will be cleared", "roles user, comercial will become user"])
        let replaced = try await answered { admin.replaceUser(patched, with: reset, completion: $0) }.get()
        let body = try transport.lastBody(for: .put)
        #expect(body["phone_work"] == nil && body["roles"] == nil)
        #expect(replaced.phoneWork == nil && replaced.roles == [.user])
        #expect(session.users.first { $0.id == user.id }?.roles == [.user])

        let duplicate = await answered {
            admin.createUser(UserInput(name: "Otra", lastname: "Vez", email: "rocio@example.com", password: "clave"), completion: $0)
        }
        #expect(duplicate.failureFields == ["email"], "the server's refusal names the field")
        await server.stop()
    }

    @Test func salesCreatePatchUpsertAndLocks() async throws {
        let (server, session, transport, sales, admin) = try await bed()
        let seller = try #require(session.users.first)
        let total = try #require(sales.cursor.totalItems)
        let sale = try await answered {
            admin.createSale(SaleInput(status: "pending", ticketId: "T-NEW", dateSale: SaleDay("2026/11/20"), phone: "+59899000111", user: seller.id), completion: $0)
        }.get()
        #expect(sale.status == "PENDING")
        await eventually("the reload") { sales.cursor.totalItems == total + 1 }

        let patched = try await answered { admin.updateSale(sale, SalePatch(status: "SOLD"), completion: $0) }.get()
        #expect(try transport.lastBody(for: .patch) == ["status": "SOLD"])
        #expect(patched.sold == true)

        let id = "65" + String(repeating: "b", count: 22)
        let upserted = try await answered { admin.upsertSale(id: id, SaleInput(status: "sold", ticketId: "T-UP", phone: "+598991", user: seller.id), completion: $0) }.get()
        #expect(upserted.id == id)
        #expect(await answered({ admin.upsertSale(id: "not-hex", SaleInput(), completion: $0) }).failureFields == ["id"])

        let locked = try #require(try await session.client.send(.listSales, query: [URLQueryItem(name: "limit", value: "100")], as: SalesPage.self).data.first { $0.lock })
        let sent = transport.recorded.count
        let refused = await answered { admin.updateSale(locked, SalePatch(status: "SOLD"), completion: $0) }
        guard case .failure(.forbidden(let message)) = refused else { Issue.record("expected a refusal"); return }
        #expect(message.contains("locked"))
        #expect(transport.recorded.count == sent, "refused before sending")
        // And the server says the same with a 403 when asked anyway.
        let direct = await withCheckedContinuation { continuation in
            session.client.updateSale(id: locked.id, SalePatch(status: "SOLD"), on: .main) { continuation.resume(returning: $0) }
        }
        #expect(direct.failure?.status == 403)
        await server.stop()
    }

    /// Sales marked across pages get one status in one bulk action; locked ones are left out and
    /// named, and the page reloads once for all of them.
    @Test func marksAcrossPagesThenOneStatusForAll() async throws {
        let (server, session, transport, sales, admin) = try await bed()
        defer { Task { await server.stop() } }
        sales.markAllShown()
        let firstPage = sales.visible.map(\.id)
        sales.nextPage()
        await eventually("page 2") { sales.state == .loaded && sales.cursor.page == 2 }
        sales.select(0)
        sales.toggleMark()
        #expect(sales.marks.count == 11 && sales.selection == 1)
        sales.toggleMark()
        sales.select(1)
        sales.toggleMark()  // the second row of page 2, unmarked again
        #expect(sales.marks.count == 11)
        let marked = sales.marked
        #expect(marked.map(\.id) == firstPage + [sales.sales[0].id], "kept as marked, though page 1 is no longer loaded")
        let locked = marked.filter(\.lock)
        let (run, leftOut) = try admin.bulkStatus("pending", on: marked).get()
        #expect(leftOut.map(\.id) == locked.map(\.id))
        #expect(run.items.count == marked.count - locked.count)
        #expect(run.title == "Status pending on \(run.items.count) sales")
        let pagesBefore = transport.recorded.filter { $0.method == .get && $0.url.path.hasSuffix("/sale") }.count
        run.start()
        await eventually("all changed") { run.isFinished }
        #expect(run.doneCount == run.items.count)
        for sale in marked where !sale.lock {
            let now = try await session.client.send(.getSale, path: [sale.id], as: Sale.self)
            #expect(now.status == "PENDING" || now.status == "pending", "\(sale.ticketId ?? sale.id): \(now.status ?? "-")")
        }
        await eventually("the page reloaded") { transport.recorded.filter { $0.method == .get && $0.url.path.hasSuffix("/sale") }.count > pagesBefore }
        await settled("the reloads", quiet: .milliseconds(800)) { transport.recorded.count }
        // Writes answered within half a second of each other share a reload (a loaded machine may
        // spread ten answers over two such spans; never one reload a write).
        let reloads = transport.recorded.filter { $0.method == .get && $0.url.path.hasSuffix("/sale") }.count - pagesBefore
        #expect((1...2).contains(reloads), "\(reloads) reloads for \(run.doneCount) writes")
        #expect(throws: VentiaError.self) { try admin.bulkStatus("  ", on: marked).get() }
    }

    @Test func pageBoundariesAndPastTheEnd() async throws {
        let (server, _, _, sales, _) = try await bed()
        #expect(sales.cursor.page == 1 && sales.pageDescription == "page 1 of 3 · 30 sales")
        sales.previousPage()
        #expect(sales.cursor.page == 1)
        sales.nextPage()
        sales.nextPage()
        await eventually("page 3") { sales.cursor.page == 3 && sales.state == .loaded }
        sales.nextPage()
        #expect(sales.cursor.page == 3, "no page past the last")
        sales.setPageSize(100)
        await eventually("one page") { sales.cursor.totalPages == 1 && sales.state == .loaded }
        #expect(sales.sales.count == 30)
        sales.cycleStatusFilter()
        #expect(sales.statusFilter == "SOLD" && sales.visible.allSatisfy { $0.status == "SOLD" })
        await server.stop()
    }
}
