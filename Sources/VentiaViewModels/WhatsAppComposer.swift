import Foundation
import VentiaAPI

/// WhatsApp's customer-service window: free-form messages may go within 24 hours of the contact's
/// last inbound message; after that only a template.
public enum WhatsAppWindow: Sendable, Equatable {
    case open(until: Date)
    /// Closed since that time, or never opened (no inbound message in the timeline).
    case closed(since: Date?)

    public static let length: TimeInterval = 24 * 3600

    /// From the contact's timeline as known here (newest first or not).
    public static func of(_ interactions: [Interaction], now: Date) -> WhatsAppWindow {
        let inbound = interactions.compactMap { interaction -> Date? in
            guard case .whatsApp(let entry) = interaction.content, entry.direction == .inbound else { return nil }
            return interaction.createdAt
        }.max()
        guard let inbound else { return .closed(since: nil) }
        let end = inbound.addingTimeInterval(length)
        return end > now ? .open(until: end) : .closed(since: end)
    }

    public var isOpen: Bool {
        if case .open = self { return true }
        return false
    }
}

/// The composer's message types, in the order the picker offers them.
public enum WhatsAppKind: String, Sendable, CaseIterable {
    case text, image, video, document, audio, location, buttons, template

    public var title: String {
        switch self {
        case .text: "Text"
        case .image: "Image"
        case .video: "Video"
        case .document: "Document"
        case .audio: "Audio"
        case .location: "Location"
        case .buttons: "Reply buttons (1 to 3)"
        case .template: "Template (also outside the 24-hour window)"
        }
    }
}

/// Each message type's fields and how their values become a message, with every limit of the
/// contract checked first: a text of 1 to 4096 characters, media by an `https://` link or an id,
/// coordinates in range, 1 to 3 buttons of at most 20 characters, a template's name and language.
public enum WhatsAppFields {
    public static func fields(_ kind: WhatsAppKind, body: String = "") -> [WriteField] {
        switch kind {
        case .text:
            return [
                WriteField(.body, "Message", kind: body.contains("\n") ? .multiline(height: 6) : .text, initial: body) { text($0) },
                WriteField(.previewUrl, "Link preview", kind: .choice(["no", "yes"])),
            ]
        case .image, .video, .document, .audio:
            var fields = [
                WriteField(.link, "Link", hint: "https://… (or a media id below)"),
                WriteField(.id, "Media id"),
            ]
            if kind != .audio { fields.append(WriteField(.caption, "Caption")) }
            if kind == .document { fields.append(WriteField(.filename, "File name")) }
            return fields
        case .location:
            return [
                WriteField(.latitude, "Latitude", hint: "-90 to 90") { coordinate($0, limit: 90) },
                WriteField(.longitude, "Longitude", hint: "-180 to 180") { coordinate($0, limit: 180) },
                WriteField(.name, "Name"),
                WriteField(.address, "Address"),
            ]
        case .buttons:
            return [
                WriteField(.text, "Message") { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "is required" : nil },
                WriteField(.button1, "Button 1") { buttonTitle($0, required: true) },
                WriteField(.button2, "Button 2") { buttonTitle($0, required: false) },
                WriteField(.button3, "Button 3") { buttonTitle($0, required: false) },
            ]
        case .template:
            return [
                WriteField(.name, "Template") { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "is required" : nil },
                WriteField(.language, "Language", initial: "es") { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "is required" : nil },
                WriteField(.header, "Header values", hint: "comma-separated, in order"),
                WriteField(.body, "Body values", hint: "comma-separated, in order"),
            ]
        }
    }

    static func text(_ value: String) -> String? {
        (1...4096).contains(value.count) && !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : "must be 1 to 4096 characters"
    }

    static func coordinate(_ value: String, limit: Double) -> String? {
        guard let number = Double(value.trimmingCharacters(in: .whitespaces)), abs(number) <= limit else {
            return "must be a number from \(Int(-limit)) to \(Int(limit))"
        }
        return nil
    }

    static func buttonTitle(_ value: String, required: Bool) -> String? {
        let title = value.trimmingCharacters(in: .whitespaces)
        if title.isEmpty { return required ? "is required" : nil }
        return title.count <= 20 ? nil : "must be at most 20 characters"
    }

    /// The message the values make, or the field errors that stop it.
    public static func request(_ kind: WhatsAppKind, _ values: WriteValues) -> Result<WhatsAppSendRequest, VentiaError> {
        var errors: [FieldError] = []
        func need(_ id: FieldName, _ problem: String?) { if let problem { errors.append(FieldError(field: id.rawValue, message: problem)) } }
        let message: WhatsAppMessage
        var preview: Bool?
        switch kind {
        case .text:
            need(.body, text(values[.body]))
            message = .text(body: values[.body])
            preview = values[.previewUrl] == "yes" ? true : nil
        case .image, .video, .document, .audio:
            let link = values.optional(.link)
            let id = values.optional(.id)
            if link == nil && id == nil { need(.link, "a link or a media id is required") }
            if let link, !link.lowercased().hasPrefix("https://") || URL(string: link)?.host == nil { need(.link, "must be an https:// link") }
            let media = WhatsAppMedia(
                link: link, id: id, caption: kind == .audio ? nil : values.optional(.caption), filename: kind == .document ? values.optional(.filename) : nil)
            switch kind {
            case .image: message = .image(media)
            case .video: message = .video(media)
            case .document: message = .document(media)
            default: message = .audio(media)
            }
        case .location:
            need(.latitude, coordinate(values[.latitude], limit: 90))
            need(.longitude, coordinate(values[.longitude], limit: 180))
            message = .location(
                WhatsAppLocation(
                    longitude: values[.longitude].trimmingCharacters(in: .whitespaces), latitude: values[.latitude].trimmingCharacters(in: .whitespaces),
                    name: values.optional(.name), address: values.optional(.address)))
        case .buttons:
            if values.optional(.text) == nil { need(.text, "is required") }
            need(.button1, buttonTitle(values[.button1], required: true))
            need(.button2, buttonTitle(values[.button2], required: false))
            need(.button3, buttonTitle(values[.button3], required: false))
            let titles = [FieldName.button1, .button2, .button3].compactMap { values.optional($0) }
            message = .interactive(
                WhatsAppButtons(
                    bodyText: values[.text].trimmingCharacters(in: .whitespaces),
                    buttons: titles.enumerated().map { WhatsAppButtons.Button(id: "b\($0.offset + 1)", title: $0.element) }))
        case .template:
            if values.optional(.name) == nil { need(.name, "is required") }
            if values.optional(.language) == nil { need(.language, "is required") }
            var components: [WhatsAppTemplate.Component] = []
            for (id, type) in [(FieldName.header, "header"), (FieldName.body, "body")] where !values.list(id).isEmpty {
                components.append(.init(type: type, parameters: values.list(id).map { ["type": "text", "text": .string($0)] }))
            }
            message = .template(WhatsAppTemplate(name: values[.name].trimmingCharacters(in: .whitespaces), languageCode: values[.language].trimmingCharacters(in: .whitespaces), components: components))
        }
        return errors.isEmpty
            ? .success(WhatsAppSendRequest(message: message, previewURL: preview)) : .failure(.validation(message: "check the form", fieldErrors: errors))
    }
}
