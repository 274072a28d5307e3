import Foundation
import VentiaAPI

/// Endpoint 24: relays a WhatsApp message, with the Cloud API's rules.
extension VentiaAPIService {
    static let whatsAppWindow: TimeInterval = 24 * 3600
    static let whatsAppTypes = ["text", "image", "video", "document", "audio", "interactive", "location", "template"]

    func sendWhatsAppMessage(_ call: Call) throws(APIFailure) -> JSONValue {
        let channelId = call.parameters.first ?? ""
        let contactId = try call.objectId(at: 1, field: "contactId")
        guard call.account.channelIds.contains(channelId) else {
            throw .notFound("Channel \(ErrorExcerpt.make(from: channelId, key: nil, limit: 40)) not found")
        }
        var body = try call.body()
        _ = body.nullableString("preview_url")
        guard let message = body.object("message") else {
            if body.errors.isEmpty { body.fail("message", "is required") }
            try body.finish()
            throw .badRequest("message is required")
        }
        let type = checkWhatsAppMessage(message, body: &body)
        try body.finish()
        let (answer, event) = try store.write { state throws(APIFailure) -> (JSONValue, WebhookEvent) in
            let contact = try state.contact(contactId, of: call.account)
            guard let phone = contact.phones.first(where: { !PhoneNumber.normalized($0).isEmpty }) else {
                throw .conflict("Contact \(contactId) has no phone number to message")
            }
            if type != "template" {
                let lastInbound = try state.lastInboundWhatsApp(of: contactId)
                guard let lastInbound, call.now.timeIntervalSince(lastInbound.createdAt) <= Self.whatsAppWindow else {
                    throw .conflict(
                        "The 24-hour WhatsApp window with this contact is closed: only a template message can be sent")
                }
            }
            let number = PhoneNumber.normalized(phone)
            let messageId = "wamid." + state.makeId(at: call.now)
            var content = message
            content["direction"] = "outbound"
            content["id"] = .string(messageId)
            let interaction = try state.addInteraction(
                to: contact, type: "official_whatsapp", content: .object(content), agent: contact.agent, via: "api", now: call.now)
            var moved = contact
            moved.updatedAt = call.now
            moved.lastInteraction = call.now
            let event = try state.webhookEvent(WebhookTopic.officialWhatsApp, account: call.account, contact: moved, interaction: interaction, now: call.now)
            let answer: JSONValue = [
                "success": true, "messaging_product": "whatsapp",
                "contacts": [["input": .string(number), "wa_id": .string(number)]], "messages": [["id": .string(messageId)]],
            ]
            return (answer, event)
        }
        // Committed: the hooks hear of it, outside the transaction.
        webhooks.deliver(event)
        return answer
    }

    /// What `--simulate-whatsapp` does now and then: an inbound message from one of the first
    /// account's contacts (topic `interactions.official_whatsapp`), and a `read` status for it
    /// (topic `interactions.official_whatsapp_statuses`), each delivered to the hooks that take it.
    /// `choosing` picks among the newest 200 contacts with a phone, in list order (tests name one).
    public func simulateInboundWhatsApp(choosing: (Int) -> Int = { Int.random(in: 0..<$0) }) {
        guard let account = store.catalog.accounts.first else { return }
        let now = clock.now()
        let events: [WebhookEvent]? = try? store.write { state throws(APIFailure) -> [WebhookEvent] in
            guard let contact = try state.contactWithPhone(of: account, pick: choosing) else { return [] }
            let texts = ["Hola, ¿sigue disponible?", "¿Me pueden llamar hoy?", "Gracias, quedo a la espera.", "¿Cuál es el precio final?"]
            let messageId = "wamid.sim" + state.makeId(at: now)
            let content: JSONValue = [
                "direction": "inbound", "type": "text", "text": ["body": .string(texts[Int.random(in: 0..<texts.count)])], "id": .string(messageId),
            ]
            let interaction = try state.addInteraction(to: contact, type: "official_whatsapp", content: content, agent: contact.agent, via: "whatsapp", now: now)
            var moved = contact
            moved.updatedAt = now
            moved.lastInteraction = now
            let status: JSONValue = ["id": .string(messageId), "status": "read", "timestamp": .date(now)]
            return [
                try state.webhookEvent(WebhookTopic.officialWhatsApp, account: account, contact: moved, interaction: interaction, now: now),
                try state.webhookEvent(
                    WebhookTopic.officialWhatsAppStatuses, account: account, contact: moved, interaction: interaction, status: status, now: now),
            ]
        }
        for event in events ?? [] { webhooks.deliver(event) }
        if events?.isEmpty == false { logger.info("simulated an inbound WhatsApp message") }
    }

    /// Checks one message object; returns its type.
    func checkWhatsAppMessage(_ message: [String: JSONValue], body: inout RequestBody) -> String {
        guard let type = message["type"]?.stringValue, Self.whatsAppTypes.contains(type) else {
            body.fail("message.type", "must be one of \(Self.whatsAppTypes.joined(separator: ", "))")
            return ""
        }
        guard let payload = message[type]?.objectValue else {
            body.fail("message.\(type)", "is required for a \(type) message")
            return type
        }
        let prefix = "message.\(type)"
        switch type {
        case "text":
            let text = payload["body"]?.stringValue ?? ""
            if !(1...4096).contains(text.count) { body.fail("\(prefix).body", "must be 1 to 4096 characters") }
        case "image", "video", "document", "audio":
            let link = payload["link"]?.stringValue ?? ""
            let id = payload["id"]?.stringValue ?? ""
            if link.isEmpty && id.isEmpty { body.fail(prefix, "needs a link or an id") }
        case "interactive":
            if payload["type"]?.stringValue != "button" { body.fail("\(prefix).type", "must be \"button\"") }
            if (payload["body"]?["text"]?.stringValue ?? "").isEmpty { body.fail("\(prefix).body.text", "is required") }
            let buttons = payload["action"]?["buttons"]?.arrayValue ?? []
            if !(1...3).contains(buttons.count) { body.fail("\(prefix).action.buttons", "must hold 1 to 3 buttons") }
            for (index, button) in buttons.enumerated() {
                let title = button["reply"]?["title"]?.stringValue ?? ""
                if title.isEmpty || title.count > 20 {
                    body.fail("\(prefix).action.buttons[\(index)].reply.title", "must be 1 to 20 characters")
                }
                if (button["reply"]?["id"]?.stringValue ?? "").isEmpty {
                    body.fail("\(prefix).action.buttons[\(index)].reply.id", "is required")
                }
            }
        case "location":
            for field in ["longitude", "latitude"] where !Self.isCoordinate(payload[field]) {
                body.fail("\(prefix).\(field)", "must be a number")
            }
        case "template":
            if (payload["name"]?.stringValue ?? "").isEmpty { body.fail("\(prefix).name", "is required") }
            if (payload["language"]?["code"]?.stringValue ?? "").isEmpty { body.fail("\(prefix).language.code", "is required") }
        default:
            break
        }
        return type
    }

    static func isCoordinate(_ value: JSONValue?) -> Bool {
        switch value {
        case .number: return true
        case .string(let text): return Double(text) != nil
        default: return false
        }
    }
}
