import Foundation

/// An outbound WhatsApp message of one of the eight types the API relays.
public enum WhatsAppMessage: Sendable, Equatable, Codable {
    case text(body: String)
    case image(WhatsAppMedia)
    case video(WhatsAppMedia)
    case document(WhatsAppMedia)
    case audio(WhatsAppMedia)
    case interactive(WhatsAppButtons)
    case location(WhatsAppLocation)
    case template(WhatsAppTemplate)

    public var typeName: String {
        switch self {
        case .text: return "text"
        case .image: return "image"
        case .video: return "video"
        case .document: return "document"
        case .audio: return "audio"
        case .interactive: return "interactive"
        case .location: return "location"
        case .template: return "template"
        }
    }

    /// One line a person can read in a timeline.
    public var summary: String {
        switch self {
        case .text(let body): return body
        case .image(let media): return "Image" + (media.caption.map { ": \($0)" } ?? "")
        case .video(let media): return "Video" + (media.caption.map { ": \($0)" } ?? "")
        case .document(let media): return "Document " + (media.filename ?? media.caption ?? "")
        case .audio: return "Audio message"
        case .interactive(let buttons):
            return buttons.bodyText + " [" + buttons.buttons.map(\.title).joined(separator: " | ") + "]"
        case .location(let location):
            return "Location " + (location.name ?? "\(location.latitude), \(location.longitude)")
        case .template(let template): return "Template \(template.name) (\(template.languageCode))"
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, text, image, video, document, audio, interactive, location, template
    }

    enum TextKeys: String, CodingKey { case body }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "text":
            let text = try c.nestedContainer(keyedBy: TextKeys.self, forKey: .text)
            self = .text(body: try text.decode(String.self, forKey: .body))
        case "image": self = .image(try c.decode(WhatsAppMedia.self, forKey: .image))
        case "video": self = .video(try c.decode(WhatsAppMedia.self, forKey: .video))
        case "document": self = .document(try c.decode(WhatsAppMedia.self, forKey: .document))
        case "audio": self = .audio(try c.decode(WhatsAppMedia.self, forKey: .audio))
        case "interactive": self = .interactive(try c.decode(WhatsAppButtons.self, forKey: .interactive))
        case "location": self = .location(try c.decode(WhatsAppLocation.self, forKey: .location))
        case "template": self = .template(try c.decode(WhatsAppTemplate.self, forKey: .template))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c, debugDescription: "unknown WhatsApp message type \"\(type.prefix(30))\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(typeName, forKey: .type)
        switch self {
        case .text(let body):
            var text = c.nestedContainer(keyedBy: TextKeys.self, forKey: .text)
            try text.encode(body, forKey: .body)
        case .image(let media): try c.encode(media, forKey: .image)
        case .video(let media): try c.encode(media, forKey: .video)
        case .document(let media): try c.encode(media, forKey: .document)
        case .audio(let media): try c.encode(media, forKey: .audio)
        case .interactive(let buttons): try c.encode(buttons, forKey: .interactive)
        case .location(let location): try c.encode(location, forKey: .location)
        case .template(let template): try c.encode(template, forKey: .template)
        }
    }
}

/// Image, video, document or audio: a public link or an uploaded media id.
public struct WhatsAppMedia: Sendable, Equatable, Codable {
    public var link: String?
    public var id: String?
    public var caption: String?
    public var filename: String?

    public init(link: String? = nil, id: String? = nil, caption: String? = nil, filename: String? = nil) {
        self.link = link
        self.id = id
        self.caption = caption
        self.filename = filename
    }
}

/// An interactive message with one to three reply buttons.
public struct WhatsAppButtons: Sendable, Equatable, Codable {
    /// A reply button: the id sent back when pressed and its title.
    public struct Button: Sendable, Equatable {
        public var id: String
        public var title: String
        public init(id: String, title: String) {
            self.id = id
            self.title = title
        }
    }

    public var bodyText: String
    public var buttons: [Button]

    public init(bodyText: String, buttons: [Button]) {
        self.bodyText = bodyText
        self.buttons = buttons
    }

    enum CodingKeys: String, CodingKey { case type, body, action }
    enum BodyKeys: String, CodingKey { case text }
    enum ActionKeys: String, CodingKey { case buttons }
    enum ButtonKeys: String, CodingKey { case type, reply }
    enum ReplyKeys: String, CodingKey { case id, title }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bodyText = try c.nestedContainer(keyedBy: BodyKeys.self, forKey: .body).decode(String.self, forKey: .text)
        var list = try c.nestedContainer(keyedBy: ActionKeys.self, forKey: .action).nestedUnkeyedContainer(forKey: .buttons)
        var buttons: [Button] = []
        while !list.isAtEnd {
            let button = try list.nestedContainer(keyedBy: ButtonKeys.self)
            let reply = try button.nestedContainer(keyedBy: ReplyKeys.self, forKey: .reply)
            buttons.append(
                Button(id: try reply.decode(String.self, forKey: .id), title: try reply.decode(String.self, forKey: .title)))
        }
        self.buttons = buttons
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode("button", forKey: .type)
        var body = c.nestedContainer(keyedBy: BodyKeys.self, forKey: .body)
        try body.encode(bodyText, forKey: .text)
        var action = c.nestedContainer(keyedBy: ActionKeys.self, forKey: .action)
        var list = action.nestedUnkeyedContainer(forKey: .buttons)
        for item in buttons {
            var button = list.nestedContainer(keyedBy: ButtonKeys.self)
            try button.encode("reply", forKey: .type)
            var reply = button.nestedContainer(keyedBy: ReplyKeys.self, forKey: .reply)
            try reply.encode(item.id, forKey: .id)
            try reply.encode(item.title, forKey: .title)
        }
    }
}

/// A location message: coordinates as the API writes them (strings), with a name and an address.
public struct WhatsAppLocation: Sendable, Equatable, Codable {
    public var longitude: String
    public var latitude: String
    public var name: String?
    public var address: String?

    public init(longitude: String, latitude: String, name: String? = nil, address: String? = nil) {
        self.longitude = longitude
        self.latitude = latitude
        self.name = name
        self.address = address
    }
}

/// A pre-approved template: the only kind allowed outside the 24-hour window.
public struct WhatsAppTemplate: Sendable, Equatable, Codable {
    /// A part of a template (header, body, button) with its parameters.
    public struct Component: Sendable, Equatable, Codable {
        public var type: String
        /// Parameters vary by kind (text, media, location, date_time): kept as JSON.
        public var parameters: [JSONValue]
        public init(type: String, parameters: [JSONValue]) {
            self.type = type
            self.parameters = parameters
        }
    }

    public var name: String
    public var languageCode: String
    public var components: [Component]

    public init(name: String, languageCode: String, components: [Component] = []) {
        self.name = name
        self.languageCode = languageCode
        self.components = components
    }

    enum CodingKeys: String, CodingKey { case name, language, components }
    enum LanguageKeys: String, CodingKey { case code }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        languageCode = try c.nestedContainer(keyedBy: LanguageKeys.self, forKey: .language).decode(String.self, forKey: .code)
        components = try c.decode([Component].self, forKey: .components, default: [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        var language = c.nestedContainer(keyedBy: LanguageKeys.self, forKey: .language)
        try language.encode(languageCode, forKey: .code)
        if !components.isEmpty { try c.encode(components, forKey: .components) }
    }
}

/// What the send-message endpoint takes.
public struct WhatsAppSendRequest: Sendable, Equatable, Encodable {
    public var previewURL: Bool?
    public var message: WhatsAppMessage

    public init(message: WhatsAppMessage, previewURL: Bool? = nil) {
        self.message = message
        self.previewURL = previewURL
    }

    enum CodingKeys: String, CodingKey {
        case previewURL = "preview_url"
        case message
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // The reference types preview_url as a string.
        if let previewURL { try c.encode(previewURL ? "true" : "false", forKey: .previewURL) }
        try c.encode(message, forKey: .message)
    }
}

/// The relayed answer of WhatsApp's Cloud API.
public struct WhatsAppSendResult: Sendable, Equatable, Decodable {
    /// Whom WhatsApp delivered to: the number as given and its WhatsApp id.
    public struct Recipient: Sendable, Equatable, Decodable {
        public var input: String
        public var waId: String?
        enum CodingKeys: String, CodingKey {
            case input
            case waId = "wa_id"
        }
    }

    /// The id WhatsApp gave the message sent.
    public struct SentMessage: Sendable, Equatable, Decodable {
        public var id: String
    }

    public var success: Bool
    public var messagingProduct: String?
    public var contacts: [Recipient]
    public var messages: [SentMessage]

    enum CodingKeys: String, CodingKey {
        case success
        case messagingProduct = "messaging_product"
        case contacts, messages
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        success = try c.decode(Bool.self, forKey: .success, default: true)
        messagingProduct = try c.decodeIfPresent(String.self, forKey: .messagingProduct)
        contacts = try c.decode([Recipient].self, forKey: .contacts, default: [])
        messages = try c.decode([SentMessage].self, forKey: .messages, default: [])
    }
}
