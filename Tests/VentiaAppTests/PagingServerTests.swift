import Foundation
import Testing
import VentiaAPI
import VentiaViewModels

/// A server that ignores `page` and answers every request with the same full page, as a server
/// we did not write might: the lists must end instead of asking again until the budget is gone.
@Suite(.serialized) @MainActor struct PagingServerTests {
    final class RepeatingTransport: HTTPTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var paths: [String] = []
        let body: Data

        init(items: Int, make: (Int) -> String) {
            body = Data("[\((0..<items).map(make).joined(separator: ","))]".utf8)
        }

        init(body: String) { self.body = Data(body.utf8) }

        var requests: [String] { lock.withLock { paths } }

        func send(_ request: HTTPRequest, completion: @escaping @Sendable (Result<HTTPResponse, TransportFailure>) -> Void) -> any Cancellable {
            lock.withLock { paths.append(request.url.path) }
            let body = body
            DispatchQueue.global().async { completion(.success(HTTPResponse(status: 200, body: body))) }
            return NoCancel()
        }

        struct NoCancel: Cancellable { func cancel() {} }
    }

    func session(_ transport: RepeatingTransport) throws -> AppSession {
        let client = VentiaClient(
            configuration: VentiaConfiguration(baseURL: try #require(URL(string: "http://127.0.0.1:9/api/v1.0")), apiKey: APIKey("AAAAAAA-BBBBBBB-CCCCCCC-DDDDDDD")),
            transport: transport, rateBudget: RateBudget(clock: ManualClock()))
        return AppSession(client: client, connection: ConnectionInfo(mode: .live, host: "127.0.0.1:9"))
    }

    @Test func usersEndWhenAPageBringsNothingNew() async throws {
        let transport = RepeatingTransport(items: 100) { #"{"_id":"u\#($0)","name":"Ana\#($0)","lastname":"Pérez","email":"ana\#($0)@example.com","roles":["user"]}"# }
        let session = try session(transport)
        session.loadUsers()
        await eventually("the users") { session.usersState == .loaded }
        #expect(session.users.count == 100)
        #expect(transport.requests.count == 2, "one page, and one that repeated it: \(transport.requests.count) requests")
    }

    @Test func contactsAndTimelineStopAskingForRepeatedPages() async throws {
        let transport = RepeatingTransport(items: 100) {
            #"{"_id":"c\#($0)","firstName":"Ana","lastName":"Pérez \#($0)","phones":["+5989900\#($0)"],"emails":[],"status":"new","type":"note","content":{"body":"n\#($0)"},"contact":"c0","createdAt":"2026-11-01T10:00:00.000Z"}"#
        }
        let session = try session(transport)
        let list = ContactListViewModel(session: session)
        list.start()
        await eventually("the contacts") { list.state == .loaded }
        for _ in 0..<5 {
            list.selectLast()
            list.loadMoreIfNeeded()
            await eventually("the next page") { list.reachedEnd || transport.requests.count > 1 }
        }
        await eventually("the end") { list.reachedEnd }
        #expect(list.contacts.count == 100)
        let contactRequests = transport.requests.count
        #expect(contactRequests == 2)

        let timeline = TimelineViewModel(session: session)
        timeline.show(contactId: "c0")
        await eventually("the timeline") { timeline.state == .loaded }
        for _ in 0..<5 { timeline.loadMore() }
        await eventually("the timeline's end") { timeline.reachedEnd }
        #expect(timeline.interactions.count == 100)
        #expect(transport.requests.count - contactRequests == 2)
    }

    /// The reference's own sales sample: one row beside a count of 0 items in 0 pages.
    @Test func salesCountsTheRowsWhenTheTotalSaysLess() async throws {
        let sample = #"{ "data": [ { "_id": "string", "company": "string", "user": { "name": "string", "lastname": "string" }, "createdAt": "2019-08-24T14:15:22Z" } ], "pagination": { "totalItems": 0, "totalPages": 0, "currentPage": 0 } }"#
        let transport = RepeatingTransport(body: sample)
        let sales = SalesListViewModel(session: try session(transport))
        sales.start()
        await eventually("the page") { sales.state == .loaded }
        #expect(sales.pageDescription == "page 1 of 1 · 1 sale")
        sales.nextPage()
        #expect(transport.requests.count == 1, "no page 2 of a list of one")
    }
}
