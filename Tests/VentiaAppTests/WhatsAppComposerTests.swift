import Foundation
import Testing
import VentiaAPI
import VentiaMirror
import VentiaServer
@testable import VentiaViewModels

/// The composer's rules for each message type, the 24-hour window on an injected clock, and a
/// message through the outbox against the demo server (a 409 explained in words).
@Suite @MainActor struct WhatsAppComposerTests {
    func whatsApp(_ direction: String, at time: String) throws -> Interaction {
        let json = #"{"_id":"w\#(time)","type":"official_whatsapp","content":{"direction":"\#(direction)","type":"text","text":{"body":"hola"}},"createdAt":"\#(time)"}"#
        return try VentiaJSON.decode(Interaction.self, from: Data(json.utf8))
    }

    @Test func aChannelNamedOnceIsKeptForTheAccount() async throws {
        let bed = try await DemoBed.start()
        let mirror = try ContactMirror.temporary()
        let session = AppSession(client: bed.session.client, connection: bed.session.connection, mirror: mirror)
        #expect(session.whatsAppChannel() == nil)
        session.rememberWhatsAppChannel("chan-1")
        let later = AppSession(client: bed.session.client, connection: bed.session.connection, mirror: mirror)
        #expect(later.whatsAppChannel() == "chan-1", "the next run knows it")
        later.configuredWhatsAppChannel = "chan-2"
        #expect(later.whatsAppChannel() == "chan-2", "config.yml wins")
        await bed.stop()
    }

    @Test func theWindowIsOpenForADayAfterTheLastInboundMessage() throws {
        let now = try #require(VentiaDate.parse("2026-11-27T12:00:00.000Z"))
        let recent = [try whatsApp("outbound", at: "2026-11-27T11:00:00.000Z"), try whatsApp("inbound", at: "2026-11-27T02:00:00.000Z")]
        #expect(WhatsAppWindow.of(recent, now: now) == .open(until: try #require(VentiaDate.parse("2026-11-28T02:00:00.000Z"))))
        let old = [try whatsApp("inbound", at: "2026-11-25T02:00:00.000Z")]
        #expect(WhatsAppWindow.of(old, now: now) == .closed(since: try #require(VentiaDate.parse("2026-11-26T02:00:00.000Z"))))
        #expect(WhatsAppWindow.of([try whatsApp("outbound", at: "2026-11-27T11:00:00.000Z")], now: now) == .closed(since: nil))
    }

    func fields(_ kind: WhatsAppKind, _ text: [String: String]) -> [String] {
        guard case .failure(let error) = WhatsAppFields.request(kind, WriteValues(text: text)) else { return [] }
        return error.fieldErrors.map(\.field)
    }

    @Test func everyTypeChecksTheContractsLimitsBeforeSending() throws {
        #expect(fields(.text, ["body": "  "]) == ["body"])
        #expect(fields(.text, ["body": String(repeating: "a", count: 4097)]) == ["body"])
        #expect(fields(.image, [:]) == ["link"], "a link or an id")
        #expect(fields(.video, ["link": "http://example.com/v.mp4"]) == ["link"], "https only")
        #expect(fields(.document, ["id": "media-1", "filename": "plano.pdf"]).isEmpty)
        #expect(fields(.location, ["latitude": "-95", "longitude": "abc"]) == ["latitude", "longitude"])
        #expect(fields(.buttons, ["text": "¿Cuándo?", "button1": String(repeating: "x", count: 21)]) == ["button1"])
        #expect(fields(.buttons, ["button1": "Hoy"]) == ["text"])
        #expect(fields(.template, ["language": ""]) == ["name", "language"])

        let buttons = try WhatsAppFields.request(.buttons, WriteValues(text: ["text": "¿Cuándo?", "button1": "Hoy", "button3": "Mañana"])).get()
        let json = try JSONDecoder().decode(JSONValue.self, from: try VentiaJSON.encoder().encode(buttons))
        #expect(json["message"]?["interactive"]?["action"]?["buttons"]?.arrayValue?.count == 2)
        #expect(json["message"]?["interactive"]?["action"]?["buttons"]?.arrayValue?.last?["reply"]?["title"] == "Mañana")
        let template = try WhatsAppFields.request(.template, WriteValues(text: ["name": "saludo", "language": "es", "body": "Ana, jueves"])).get()
        let sent = try JSONDecoder().decode(JSONValue.self, from: try VentiaJSON.encoder().encode(template))
        #expect(sent["message"]?["template"]?["components"]?.arrayValue?.first?["parameters"]?.arrayValue?.count == 2)
        let preview = try WhatsAppFields.request(.text, WriteValues(text: ["body": "https://example.com", "preview_url": "yes"])).get()
        #expect(preview.previewURL == true)
    }

    @Test func aTemplateGoesAnyTimeAndAFreeMessageOutsideTheWindowIsExplained() async throws {
        let bed = try await DemoBed.start()
        let list = ContactListViewModel(session: bed.session)
        let timeline = TimelineViewModel(session: bed.session)
        list.start()
        await eventually("contacts") { list.state == .loaded }
        let actions = ContactActions(session: bed.session, list: list, timeline: timeline)
        // A contact with a phone and no WhatsApp from them in the last day.
        var closed: (Contact, String)?
        for contact in list.contacts where !contact.channels.isEmpty {
            let history = try await bed.session.client.send(.listInteractions, path: [contact.id], as: [Interaction].self)
            if !WhatsAppWindow.of(history, now: Date()).isOpen { closed = (contact, contact.channels[0]); break }
        }
        let (contact, channel) = try #require(closed)
        let text = try WhatsAppFields.request(.text, WriteValues(text: ["body": "Hola"])).get()
        let refused: ActionOutcome<Bool> = await withCheckedContinuation { continuation in
            actions.sendWhatsApp(to: contact, channel: channel, text) { continuation.resume(returning: $0) }
        }
        #expect(refused.result.flatMap { if case .failure(let error) = $0 { error.description } else { nil } }?.contains("The 24-hour window with") == true)
        #expect(bed.session.outbox.pendingCount == 0, "a refusal with the form open leaves nothing queued")
        let template = try WhatsAppFields.request(.template, WriteValues(text: ["name": "saludo", "language": "es"])).get()
        let sent: ActionOutcome<Bool> = await withCheckedContinuation { continuation in
            actions.sendWhatsApp(to: contact, channel: channel, template) { continuation.resume(returning: $0) }
        }
        #expect((try? sent.result?.get()) == true)
        let history = try await bed.session.client.send(.listInteractions, path: [contact.id], as: [Interaction].self)
        guard case .whatsApp(let entry) = history.first?.content else { Issue.record("no message on top"); return }
        #expect(entry.direction == .outbound && entry.message?.summary == "Template saludo (es)")
        await bed.stop()
    }

    @Test func everyMessageTypeReachesTheServerInsideTheWindow() async throws {
        let bed = try await DemoBed.start()
        let list = ContactListViewModel(session: bed.session)
        list.start()
        await eventually("contacts") { list.state == .loaded }
        let actions = ContactActions(session: bed.session, list: list, timeline: TimelineViewModel(session: bed.session))
        var open: (Contact, String)?
        for contact in list.contacts where !contact.channels.isEmpty {
            let history = try await bed.session.client.send(.listInteractions, path: [contact.id], as: [Interaction].self)
            if WhatsAppWindow.of(history, now: Date()).isOpen { open = (contact, contact.channels[0]); break }
        }
        let (contact, channel) = try #require(open, "the seeded data has contacts who wrote within the day")
        let forms: [(WhatsAppKind, [String: String])] = [
            (.text, ["body": "Hola"]), (.image, ["link": "https://example.com/a.jpg", "caption": "Fachada"]),
            (.video, ["id": "media-2"]), (.document, ["link": "https://example.com/plano.pdf", "filename": "plano.pdf"]),
            (.audio, ["id": "media-3"]), (.location, ["latitude": "-34.9", "longitude": "-56.16", "name": "Oficina"]),
            (.buttons, ["text": "¿Cuándo?", "button1": "Hoy", "button2": "Mañana"]), (.template, ["name": "saludo", "language": "es"]),
        ]
        for (kind, text) in forms {
            let request = try WhatsAppFields.request(kind, WriteValues(text: text)).get()
            let outcome: ActionOutcome<Bool> = await withCheckedContinuation { continuation in
                actions.sendWhatsApp(to: contact, channel: channel, request) { continuation.resume(returning: $0) }
            }
            #expect((try? outcome.result?.get()) == true, "\(kind): \(outcome)")
        }
        let history = try await bed.session.client.send(.listInteractions, path: [contact.id], as: [Interaction].self)
        let sent = history.prefix(8).compactMap { interaction -> String? in
            if case .whatsApp(let entry) = interaction.content { return entry.message?.typeName } else { return nil }
        }
        #expect(sent.reversed() == ["text", "image", "video", "document", "audio", "location", "interactive", "template"])
        await bed.stop()
    }
}
