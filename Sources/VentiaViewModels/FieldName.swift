/// A form field, named as the API names it in a body (its raw value), so a form's values are read
/// by name and a misspelt one does not compile. A lead-entry form's additional data fields come
/// from the account and are named by their code.
public enum FieldName: Hashable, Sendable, RawRepresentable {
    case actionId, active, address, agent, body, button1, button2, button3, callbackUrl, caption, channel, dateSale, detail, email, emails
    case filename, firstName, from, govId, header, id, language, lastName, lastname, latitude, limit, link, longitude, name, origin, password
    case phone, phoneWork, phones, previewUrl, reminderDate, roles, status, text, ticketId, to, topics, type, user
    /// An additional data field of a lead-entry form, by its code.
    case additionalData(String)

    /// Every name but the additional data fields.
    public static let fixed: [FieldName] = [
        .actionId, .active, .address, .agent, .body, .button1, .button2, .button3, .callbackUrl, .caption, .channel, .dateSale, .detail, .email,
        .emails, .filename, .firstName, .from, .govId, .header, .id, .language, .lastName, .lastname, .latitude, .limit, .link, .longitude, .name, .origin,
        .password, .phone, .phoneWork, .phones, .previewUrl, .reminderDate, .roles, .status, .text, .ticketId, .to, .topics, .type, .user,
    ]

    private static let additionalPrefix = "additionalData."

    public init?(rawValue: String) {
        if rawValue.hasPrefix(Self.additionalPrefix) {
            self = .additionalData(String(rawValue.dropFirst(Self.additionalPrefix.count)))
            return
        }
        guard let name = Self.fixed.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = name
    }

    public var rawValue: String {
        switch self {
        case .actionId: "action_id"
        case .dateSale: "date_sale"
        case .govId: "gov_id"
        case .phoneWork: "phone_work"
        case .previewUrl: "preview_url"
        case .ticketId: "ticket_id"
        case .additionalData(let code): Self.additionalPrefix + code
        case .active: "active"
        case .from: "from"
        case .to: "to"
        case .address: "address"
        case .agent: "agent"
        case .body: "body"
        case .button1: "button1"
        case .button2: "button2"
        case .button3: "button3"
        case .callbackUrl: "callbackUrl"
        case .caption: "caption"
        case .channel: "channel"
        case .detail: "detail"
        case .email: "email"
        case .emails: "emails"
        case .filename: "filename"
        case .firstName: "firstName"
        case .header: "header"
        case .id: "id"
        case .language: "language"
        case .lastName: "lastName"
        case .lastname: "lastname"
        case .latitude: "latitude"
        case .limit: "limit"
        case .link: "link"
        case .longitude: "longitude"
        case .name: "name"
        case .origin: "origin"
        case .password: "password"
        case .phone: "phone"
        case .phones: "phones"
        case .reminderDate: "reminderDate"
        case .roles: "roles"
        case .status: "status"
        case .text: "text"
        case .topics: "topics"
        case .type: "type"
        case .user: "user"
        }
    }
}
