import Foundation

/// The HTTP methods the API uses.
public enum HTTPMethod: String, Sendable, CaseIterable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH"
}

/// Every endpoint of the API, numbered as in the contract's table.
public enum Endpoint: Int, Sendable, CaseIterable, CustomStringConvertible, Codable {
    case listContacts = 1, getContact, createContact, replaceContact
    case listInteractions, listNotes, createNote, archiveContact, transferContact, createReminder
    case createLead, createLeadEntry
    case listUsers, createUser, getUser, updateUser, replaceUser
    case listGroups
    case listSales, createSale, getSale, updateSale, upsertSale
    case sendWhatsAppMessage
    case listWebhooks, createWebhook, getWebhook, updateWebhook

    /// The one table of methods and paths: a path that differs on the real service is a one-line change.
    /// `{name}` marks a path parameter, filled in order.
    public var route: (method: HTTPMethod, path: String) {
        switch self {
        case .listContacts: return (.get, "/contact")
        case .getContact: return (.get, "/contact/{idcontact}")
        case .createContact: return (.post, "/contact")
        case .replaceContact: return (.put, "/contact/{idcontact}")
        case .listInteractions: return (.get, "/contact/{idcontact}/interactions")
        case .listNotes: return (.get, "/contact/{idcontact}/notes")
        case .createNote: return (.post, "/contact/{idcontact}/note")
        case .archiveContact: return (.post, "/contact/{idcontact}/archive")
        case .transferContact: return (.post, "/contact/{idcontact}/transfer")
        case .createReminder: return (.post, "/contact/{idcontact}/reminder")
        case .createLead: return (.post, "/lead")
        case .createLeadEntry: return (.post, "/leadentry/{code}")
        case .listUsers: return (.get, "/user")
        case .createUser: return (.post, "/user")
        case .getUser: return (.get, "/user/{id}")
        case .updateUser: return (.patch, "/user/{id}")
        case .replaceUser: return (.put, "/user/{id}")
        case .listGroups: return (.get, "/group")
        case .listSales: return (.get, "/sale")
        case .createSale: return (.post, "/sale")
        case .getSale: return (.get, "/sale/{id}")
        case .updateSale: return (.patch, "/sale/{id}")
        case .upsertSale: return (.put, "/sale/{id}")
        case .sendWhatsAppMessage: return (.post, "/whatsapp/{channelId}/{contactId}/message")
        case .listWebhooks: return (.get, "/webhook")
        case .createWebhook: return (.post, "/webhook")
        case .getWebhook: return (.get, "/webhook/{id}")
        case .updateWebhook: return (.patch, "/webhook/{id}")
        }
    }

    public var method: HTTPMethod { route.method }
    public var pathTemplate: String { route.path }

    /// The template split into segments; a parameter segment is `nil` plus its name.
    public var segments: [PathSegment] {
        pathTemplate.split(separator: "/").map { part in
            if part.hasPrefix("{"), part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
    }

    /// The path with its parameters filled in, each percent-encoded as one segment.
    public func path(_ parameters: [String]) -> String {
        var remaining = parameters[...]
        let filled = segments.map { segment -> String in
            switch segment {
            case .literal(let text): return text
            case .parameter:
                let value = remaining.popFirst() ?? ""
                return value.addingPercentEncoding(withAllowedCharacters: Self.segmentAllowed) ?? ""
            }
        }
        return "/" + filled.joined(separator: "/")
    }

    public var description: String { "\(method.rawValue) \(pathTemplate)" }

    private static let segmentAllowed: CharacterSet = {
        var set = CharacterSet.urlPathAllowed
        set.remove(charactersIn: "/?#")
        return set
    }()
}

/// A part of an endpoint's path: fixed text, or a parameter filled in per request.
public enum PathSegment: Sendable, Equatable {
    case literal(String)
    case parameter(String)
}
