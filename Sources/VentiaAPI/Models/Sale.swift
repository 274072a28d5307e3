import Foundation

/// `Sale.user` is an id in the create answer and `{name, lastname}` in list and get answers.
public enum SaleUser: Sendable, Equatable, Decodable {
    case id(String)
    case person(name: String, lastname: String)

    enum CodingKeys: String, CodingKey { case id = "_id", name, lastname }

    public init(from decoder: any Decoder) throws {
        if let id = try? decoder.singleValueContainer().decode(String.self) {
            self = .id(id)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self = .person(
            name: try c.decode(String.self, forKey: .name, default: ""),
            lastname: try c.decode(String.self, forKey: .lastname, default: ""))
    }

    public var displayName: String {
        switch self {
        case .id(let id): return id
        case .person(let name, let lastname): return [name, lastname].filter { !$0.isEmpty }.joined(separator: " ")
        }
    }
}

/// A sale, as `GET /sale` lists it and `GET /sale/{id}` answers it.
public struct Sale: Sendable, Equatable, Identifiable, Decodable {
    public var id: String
    public var company: String?
    public var user: SaleUser?
    public var userString: String?
    public var ticketId: String?
    public var ticketSaleId: String?
    public var date: Date?
    public var dateSale: Date?
    public var name: String?
    public var phone: String?
    public var secondaryPhones: [String]
    public var govId: String?
    public var type: String?
    public var product: String?
    public var status: String?
    public var statusLock: Bool?
    public var sold: Bool?
    public var cancel: Bool?
    public var lock: Bool
    public var userLock: Bool?
    public var userEdit: Bool?
    public var importation: String?
    public var value: Double?
    public var removeFromGoal: Bool?
    public var createdAt: Date?
    public var updatedAt: Date?
    public var version: Int?

    enum CodingKeys: String, CodingKey {
        case id = "_id"
        case company, user
        case userString = "user_string"
        case ticketId = "ticket_id"
        case ticketSaleId = "ticket_sale_id"
        case date
        case dateSale = "date_sale"
        case name, phone
        case secondaryPhones = "secondary_phones"
        case govId = "gov_id"
        case type, product, status
        case statusLock = "status_lock"
        case sold, cancel, lock
        case userLock = "user_lock"
        case userEdit = "user_edit"
        case importation, value
        case removeFromGoal = "remove_from_goal"
        case createdAt, updatedAt
        case version = "__v"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        company = try c.decodeIfPresent(String.self, forKey: .company)
        user = try c.decodeIfPresent(SaleUser.self, forKey: .user)
        userString = try c.decodeIfPresent(String.self, forKey: .userString)
        ticketId = try c.decodeIfPresent(String.self, forKey: .ticketId)
        ticketSaleId = try c.decodeIfPresent(String.self, forKey: .ticketSaleId)
        date = try c.decodeIfPresent(Date.self, forKey: .date)
        dateSale = try c.decodeIfPresent(Date.self, forKey: .dateSale)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        secondaryPhones = try c.decode([String].self, forKey: .secondaryPhones, default: [])
        govId = try c.decodeIfPresent(String.self, forKey: .govId)
        type = try c.decodeIfPresent(String.self, forKey: .type)
        product = try c.decodeIfPresent(String.self, forKey: .product)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        statusLock = try c.decodeIfPresent(Bool.self, forKey: .statusLock)
        sold = try c.decodeIfPresent(Bool.self, forKey: .sold)
        cancel = try c.decodeIfPresent(Bool.self, forKey: .cancel)
        lock = try c.decode(Bool.self, forKey: .lock, default: false)
        userLock = try c.decodeIfPresent(Bool.self, forKey: .userLock)
        userEdit = try c.decodeIfPresent(Bool.self, forKey: .userEdit)
        importation = try c.decodeIfPresent(String.self, forKey: .importation)
        value = try c.decodeIfPresent(Double.self, forKey: .value)
        removeFromGoal = try c.decodeIfPresent(Bool.self, forKey: .removeFromGoal)
        createdAt = try c.decodeIfPresent(Date.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(Date.self, forKey: .updatedAt)
        version = try c.decodeIfPresent(Int.self, forKey: .version)
    }

    /// Who made the sale, as well as the answer lets us tell.
    public var userDisplayName: String {
        if case .person = user, let user { return user.displayName }
        return userString ?? user?.displayName ?? ""
    }
}

/// A day as the sales endpoints take it: `yyyy-mm-dd` (or `yyyy/mm/dd`).
public struct SaleDay: Sendable, Equatable, Hashable, Encodable, CustomStringConvertible {
    public let text: String

    /// Nil when `text` is neither `yyyy-mm-dd` nor `yyyy/mm/dd` or is no real day.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard VentiaDate.parseDay(trimmed) != nil else { return nil }
        self.text = trimmed
    }

    public init(date: Date) { text = VentiaDate.formatDay(date) }

    public var description: String { text }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

/// Creates a sale, or (every field optional) upserts one by id.
public struct SaleInput: Sendable, Equatable, Encodable {
    public var status: String?
    public var ticketId: String?
    public var ticketSaleId: String?
    public var dateSale: SaleDay?
    public var date: SaleDay?
    public var type: String?
    public var phone: String?
    public var name: String?
    public var govId: String?
    public var product: String?
    public var user: String?
    public var importation: String?

    public init(
        status: String? = nil, ticketId: String? = nil, ticketSaleId: String? = nil, dateSale: SaleDay? = nil, date: SaleDay? = nil,
        type: String? = nil, phone: String? = nil, name: String? = nil, govId: String? = nil, product: String? = nil,
        user: String? = nil, importation: String? = nil
    ) {
        self.status = status
        self.ticketId = ticketId
        self.ticketSaleId = ticketSaleId
        self.dateSale = dateSale
        self.date = date
        self.type = type
        self.phone = phone
        self.name = name
        self.govId = govId
        self.product = product
        self.user = user
        self.importation = importation
    }

    enum CodingKeys: String, CodingKey {
        case status
        case ticketId = "ticket_id"
        case ticketSaleId = "ticket_sale_id"
        case dateSale = "date_sale"
        case date, type, phone, name
        case govId = "gov_id"
        case product, user, importation
    }

    /// The fields a new sale needs (status, ticket id, phone, user), checked before sending.
    public func validateForCreate() -> [FieldError] {
        var errors: [FieldError] = []
        for (field, value) in [("status", status), ("ticket_id", ticketId), ("phone", phone), ("user", user)]
        where (value ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError(field: field, message: "is required"))
        }
        return errors
    }
}

/// Changes status, sale date or user of a sale.
public struct SalePatch: Sendable, Equatable, Encodable {
    public var status: String?
    public var dateSale: SaleDay?
    public var user: String?

    public init(status: String? = nil, dateSale: SaleDay? = nil, user: String? = nil) {
        self.status = status
        self.dateSale = dateSale
        self.user = user
    }

    public var isEmpty: Bool { status == nil && dateSale == nil && user == nil }

    enum CodingKeys: String, CodingKey {
        case status
        case dateSale = "date_sale"
        case user
    }
}

/// One page of the sales list (1-based pages).
public struct SalesPage: Sendable, Equatable, Decodable {
    public var data: [Sale]
    public var pagination: SalesPagination

    enum CodingKeys: String, CodingKey { case data, pagination }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        data = try c.decode([Sale].self, forKey: .data)
        pagination = try c.decode(SalesPagination.self, forKey: .pagination)
    }
}

/// The paging block of `GET /sale`: how many sales and pages there are in all.
public struct SalesPagination: Sendable, Equatable, Decodable {
    public var totalItems: Int
    public var totalPages: Int
    public var currentPage: Int

    public init(totalItems: Int, totalPages: Int, currentPage: Int) {
        self.totalItems = totalItems
        self.totalPages = totalPages
        self.currentPage = currentPage
    }

    /// Whether a page after this one holds anything.
    public var hasNextPage: Bool { currentPage < totalPages }
}
