import Foundation
import VentiaAPI

/// The fields of the supervisor's writes (users, sales, page size) and how their values become the
/// API's input. Field ids are the API's field names; rules are `UserFieldRules` and `SaleDay`'s.
public enum AdminWriteFields {
    public static let roleNames = UserRole.assignable.map(\.rawValue)

    static func check(_ field: String, _ errors: [FieldError]) -> String? { errors.first { $0.field == field }?.message }

    public static func user(_ user: User?, withPassword: Bool) -> [WriteField] {
        var fields = [
            WriteField(.name, "Name", initial: user?.name ?? "") { check("name", UserFieldRules.check(name: $0, lastname: nil, email: nil, roles: nil)) },
            WriteField(.lastname, "Last name", initial: user?.lastname ?? "") {
                check("lastname", UserFieldRules.check(name: nil, lastname: $0, email: nil, roles: nil))
            },
            WriteField(.email, "Email", initial: user?.email ?? "") { check("email", UserFieldRules.check(name: nil, lastname: nil, email: $0, roles: nil)) },
        ]
        if withPassword {
            fields.append(WriteField(.password, "Password", kind: .secret) { $0.count < 4 ? "must be at least 4 characters" : nil })
        }
        fields.append(WriteField(.phoneWork, "Work phone", initial: user?.phoneWork ?? ""))
        fields.append(WriteField(.roles, "Roles", kind: .toggles(roleNames), initial: (user?.roles.map(\.rawValue) ?? ["user"]).joined(separator: ",")))
        return fields
    }

    public static func userValues(_ values: WriteValues) -> UserFormValues {
        UserFormValues(
            name: values.optional(.name) ?? "", lastname: values.optional(.lastname) ?? "", email: values.optional(.email) ?? "",
            phoneWork: values.optional(.phoneWork) ?? "", roles: values[.roles].split(separator: ",").map { UserRole(rawValue: String($0)) })
    }

    public static func newUser(_ values: WriteValues) -> UserInput {
        let user = userValues(values)
        return UserInput(
            name: user.name, lastname: user.lastname, email: user.email, password: values[.password],
            phoneWork: user.phoneWork.isEmpty ? nil : user.phoneWork, roles: user.roles.isEmpty ? [.user] : user.roles)
    }

    public static func checkDay(_ value: String) -> String? {
        value.trimmingCharacters(in: .whitespaces).isEmpty || SaleDay(value) != nil ? nil : "write the date as yyyy-mm-dd or yyyy/mm/dd"
    }

    /// A new sale (or, `withId`, one created or updated by its id); the sale date starts at `today`.
    public static func sale(statuses: [String], users: [User], today: Date, withId: Bool = false) -> [WriteField] {
        var fields: [WriteField] = []
        if withId {
            fields.append(WriteField(.id, "Sale id") { value in
                let text = value.trimmingCharacters(in: .whitespaces)
                return text.count == 24 && text.allSatisfy(\.isHexDigit) ? nil : "must be 24 hexadecimal digits"
            })
        }
        return fields + [
            WriteField(.status, "Status", kind: .choice(statuses), initial: statuses.first ?? "SOLD"),
            WriteField(.ticketId, "Ticket id") { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "is required" : nil },
            WriteField(.phone, "Phone") { $0.trimmingCharacters(in: .whitespaces).isEmpty ? "is required" : nil },
            WriteField(.user, "Seller", kind: .choice(users.isEmpty ? ["(no users loaded)"] : users.map(\.fullName))),
            WriteField(.dateSale, "Sale date", initial: VentiaDate.formatDay(today), check: checkDay),
            WriteField(.name, "Customer"),
            WriteField(.govId, "Gov. id"),
            WriteField(.type, "Type"),
        ]
    }

    public static func saleInput(_ values: WriteValues, users: [User]) -> SaleInput {
        let index = values.choices[.user] ?? 0
        return SaleInput(
            status: values.optional(.status), ticketId: values.optional(.ticketId), dateSale: values.optional(.dateSale).flatMap(SaleDay.init),
            type: values.optional(.type), phone: values.optional(.phone), name: values.optional(.name), govId: values.optional(.govId),
            user: users.indices.contains(index) ? users[index].id : nil)
    }

    /// The three fields a PATCH can change, as the sale has them now. The seller's first option
    /// keeps the current one, so an untouched form sends nothing.
    public static func saleChanges(_ sale: Sale, statuses: [String], users: [User]) -> [WriteField] {
        let keep = "keep " + (sale.userDisplayName.isEmpty ? "the current seller" : sale.userDisplayName)
        return [
            WriteField(.status, "Status", kind: .choice(statuses), initial: sale.status?.uppercased() ?? ""),
            WriteField(.dateSale, "Sale date", initial: sale.dateSale.map(VentiaDate.formatDay) ?? "", check: checkDay),
            WriteField(.user, "Seller", kind: .choice([keep] + users.map(\.fullName))),
        ]
    }

    /// Only what the supervisor changed in the PATCH form.
    public static func salePatch(_ values: WriteValues, sale: Sale, users: [User]) -> SalePatch {
        var patch = SalePatch()
        let status = values[.status]
        if !status.isEmpty, status != sale.status?.uppercased() { patch.status = status }
        if let day = SaleDay(values[.dateSale]), day.text != sale.dateSale.map(VentiaDate.formatDay) { patch.dateSale = day }
        let choice = values.choices[.user] ?? 0
        if choice > 0, users.indices.contains(choice - 1), sale.user != .id(users[choice - 1].id) { patch.user = users[choice - 1].id }
        return patch
    }

    public static func pageSize(current: Int) -> [WriteField] {
        [
            WriteField(.limit, "Per page", initial: String(current)) { value in
                Int(value.trimmingCharacters(in: .whitespaces)).map { (1...100).contains($0) } == true ? nil : "a whole number from 1 to 100"
            }
        ]
    }
}
