import Foundation
import VentiaAPI

/// Sales endpoints 19–23.
extension VentiaAPIService {
    func listSales(_ call: Call) throws(APIFailure) -> JSONValue {
        let (page, limit) = try call.salesPage()
        return try store.read { state throws(APIFailure) in
            let (sales, total) = try state.salePage(of: call.account, page: page - 1, size: limit)
            let totalPages = (total + limit - 1) / limit
            return [
                "data": .array(sales.map { state.json($0, userAsObject: true) }),
                "pagination": [
                    "totalItems": .number(Double(total)), "totalPages": .number(Double(totalPages)),
                    "currentPage": .number(Double(page)),
                ],
            ]
        }
    }

    func getSale(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "id")
        return try store.read { state throws(APIFailure) in
            state.json(try state.sale(id, of: call.account), userAsObject: true)
        }
    }

    func createSale(_ call: Call) throws(APIFailure) -> JSONValue {
        var body = try call.body()
        let fields = readSaleFields(&body, account: call.account, requireCore: true)
        try body.finish()
        return try store.write { state throws(APIFailure) in
            try state.requireSaleUser(fields.user, account: call.account)
            let sale = try state.insertSale(id: state.makeId(at: call.now), fields, account: call.account, now: call.now)
            return state.json(sale, userAsObject: false)
        }
    }

    func updateSale(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "id")
        var body = try call.body()
        let status = body.string("status", allowEmpty: false)
        let dateSale = readDay(&body, "date_sale")
        let user = body.string("user")
        let canonical = status.flatMap { canonicalStatus($0, account: call.account, body: &body) }
        try body.finish()
        return try store.write { state throws(APIFailure) in
            var sale = try state.sale(id, of: call.account)
            guard !sale.lock else { throw .forbidden("Sale \(id) is locked and cannot be modified") }
            if let user { try state.requireSaleUser(user, account: call.account) }
            if let canonical { sale.status = canonical }
            if let dateSale { sale.dateSale = dateSale }
            if let user { sale.user = user }
            sale.updatedAt = call.now
            sale.version += 1
            try state.save(sale)
            return [
                "_id": .string(sale.id), "user": .string(sale.user), "user_string": .string(state.userName(sale.user)),
                "status": .string(sale.status), "date_sale": .optional(sale.dateSale.map(VentiaDate.formatDay)),
                "sold": .bool(sale.status == "SOLD"),
            ]
        }
    }

    func upsertSale(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "id")
        var body = try call.body()
        let exists = try store.read { state throws(APIFailure) in try state.anySale(id) }
        if let existing = exists, existing.accountId != call.account.id {
            throw .notFound("Sale \(id) not found")
        }
        let fields = readSaleFields(&body, account: call.account, requireCore: exists == nil)
        try body.finish()
        return try store.write { state throws(APIFailure) in
            let sale: SaleRecord
            if var current = try state.anySale(id) {
                guard !current.lock else { throw .forbidden("Sale \(id) is locked and cannot be modified") }
                if let user = fields.user { try state.requireSaleUser(user, account: call.account) }
                current.apply(fields)
                current.updatedAt = call.now
                current.version += 1
                try state.save(current)
                sale = current
            } else {
                try state.requireSaleUser(fields.user, account: call.account)
                sale = try state.insertSale(id: id, fields, account: call.account, now: call.now)
            }
            return [
                "_id": .string(sale.id), "status": .string(sale.status),
                "date_sale": .optional(sale.dateSale.map(VentiaDate.formatDay)), "phone": .string(sale.phone),
                "name": .optional(sale.name), "user": .string(sale.user), "product": .optional(sale.product),
            ]
        }
    }

    /// Reads the sale fields of a create or upsert; `requireCore` makes status, ticket id, phone and user required.
    func readSaleFields(_ body: inout RequestBody, account: AccountRecord, requireCore: Bool) -> SaleFields {
        var fields = SaleFields()
        let status = body.string("status", required: requireCore, allowEmpty: false)
        fields.status = status.flatMap { canonicalStatus($0, account: account, body: &body) }
        fields.ticketId = body.string("ticket_id", required: requireCore, allowEmpty: false)
        fields.ticketSaleId = body.string("ticket_sale_id")
        fields.dateSale = readDay(&body, "date_sale")
        fields.date = readDay(&body, "date")
        fields.type = body.string("type")
        fields.phone = body.string("phone", required: requireCore, allowEmpty: false)
        fields.name = body.string("name")
        fields.govId = body.string("gov_id")
        fields.product = body.string("product")
        fields.user = body.string("user", required: requireCore, allowEmpty: false)
        fields.importation = body.string("importation")
        return fields
    }

    /// Sale statuses match case-insensitively and are stored upper-case.
    func canonicalStatus(_ text: String, account: AccountRecord, body: inout RequestBody) -> String? {
        let upper = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard account.saleStatuses.contains(upper) else {
            body.fail("status", "must be one of \(account.saleStatuses.joined(separator: ", "))")
            return nil
        }
        return upper
    }

    func readDay(_ body: inout RequestBody, _ name: String) -> Date? {
        guard let text = body.string(name) else { return nil }
        guard let date = VentiaDate.parseDay(text) else {
            body.fail(name, "must be a date written yyyy-mm-dd or yyyy/mm/dd")
            return nil
        }
        // Sales are stamped at 15:00 UTC (noon in Montevideo), as the reference's sample shows.
        return date.addingTimeInterval(15 * 3600)
    }
}

struct SaleFields {
    var status: String?
    var ticketId: String?
    var ticketSaleId: String?
    var dateSale: Date?
    var date: Date?
    var type: String?
    var phone: String?
    var name: String?
    var govId: String?
    var product: String?
    var user: String?
    var importation: String?
}

extension SaleRecord {
    mutating func apply(_ fields: SaleFields) {
        if let value = fields.status { status = value }
        if let value = fields.ticketId { ticketId = value }
        if let value = fields.ticketSaleId { ticketSaleId = value }
        if let value = fields.dateSale { dateSale = value }
        if let value = fields.date { date = value }
        if let value = fields.type { type = value }
        if let value = fields.phone { phone = value }
        if let value = fields.name { name = value }
        if let value = fields.govId { govId = value }
        if let value = fields.product { product = value }
        if let value = fields.user { user = value }
        if let value = fields.importation { importation = value }
    }
}
