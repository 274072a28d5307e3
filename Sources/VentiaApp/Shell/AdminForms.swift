import Foundation
import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The forms of the supervisor's actions. Field ids are the API's field names, so a server's
/// field error lands under its field.
@MainActor
enum AdminForms {
    static let roleNames = UserRole.assignable.map(\.rawValue)

    nonisolated static func checkName(_ value: String) -> String? { (2...32).contains(value.count) ? nil : "must be 2 to 32 characters" }
    nonisolated static func checkEmail(_ value: String) -> String? { EmailAddress.isValid(value) ? nil : "must be a valid email address" }
    nonisolated static func checkDay(_ value: String) -> String? {
        value.trimmingSpaces.isEmpty || SaleDay(value) != nil ? nil : "write the date as yyyy-mm-dd or yyyy/mm/dd"
    }

    static func user(_ user: User?, withPassword: Bool) -> FormState {
        var fields = [
            FormField(id: "name", label: "Name", value: user?.name ?? "", validate: checkName),
            FormField(id: "lastname", label: "Last name", value: user?.lastname ?? "") { $0.trimmingSpaces.isEmpty ? "must not be empty" : nil },
            FormField(id: "email", label: "Email", value: user?.email ?? "", validate: checkEmail),
        ]
        if withPassword {
            fields.append(FormField(id: "password", label: "Password", kind: .secret) { $0.count < 4 ? "must be at least 4 characters" : nil })
        }
        fields.append(FormField(id: "phone_work", label: "Work phone", value: user?.phoneWork ?? ""))
        fields.append(FormField(id: "roles", label: "Roles", kind: .toggles(roleNames), value: (user?.roles.map(\.rawValue) ?? ["user"]).joined(separator: ",")))
        return FormState(fields: fields)
    }

    static func values(_ form: FormState) -> UserFormValues {
        UserFormValues(
            name: form.value("name").trimmingSpaces, lastname: form.value("lastname").trimmingSpaces, email: form.value("email").trimmingSpaces,
            phoneWork: form.value("phone_work").trimmingSpaces,
            roles: form.value("roles").split(separator: ",").map { UserRole(rawValue: String($0)) })
    }

    /// The sale date starts at `today`, taken from the app's clock.
    static func sale(statuses: [String], users: [User], today: Date, sale: Sale? = nil, withId: Bool = false) -> FormState {
        var fields: [FormField] = []
        if withId {
            fields.append(FormField(id: "id", label: "Sale id") { value in
                let text = value.trimmingSpaces
                return text.count == 24 && text.allSatisfy(\.isHexDigit) ? nil : "must be 24 hexadecimal digits"
            })
        }
        fields += [
            FormField(id: "status", label: "Status", kind: .choice(statuses), value: sale?.status?.uppercased() ?? statuses.first ?? "SOLD"),
            FormField(id: "ticket_id", label: "Ticket id") { $0.trimmingSpaces.isEmpty ? "is required" : nil },
            FormField(id: "phone", label: "Phone") { $0.trimmingSpaces.isEmpty ? "is required" : nil },
            FormField(id: "user", label: "Seller", kind: .choice(users.isEmpty ? ["(no users loaded)"] : users.map(\.fullName))),
            FormField(id: "date_sale", label: "Sale date", value: VentiaDate.formatDay(today), validate: checkDay),
            FormField(id: "name", label: "Customer"),
            FormField(id: "gov_id", label: "Gov. id"),
            FormField(id: "type", label: "Type"),
        ]
        return FormState(fields: fields)
    }

    /// The three fields a PATCH can change, as the sale has them now. The seller's first option
    /// keeps the current one, so an untouched form sends nothing.
    static func saleChanges(_ sale: Sale, statuses: [String], users: [User]) -> FormState {
        let keep = "keep " + (sale.userDisplayName.isEmpty ? "the current seller" : sale.userDisplayName)
        return FormState(fields: [
            FormField(id: "status", label: "Status", kind: .choice(statuses), value: sale.status?.uppercased() ?? ""),
            FormField(id: "date_sale", label: "Sale date", value: sale.dateSale.map(VentiaDate.formatDay) ?? "", validate: checkDay),
            FormField(id: "user", label: "Seller", kind: .choice([keep] + users.map(\.fullName))),
        ])
    }

    /// Only what the supervisor changed in the PATCH form.
    static func salePatch(_ form: FormState, sale: Sale, users: [User]) -> SalePatch {
        var patch = SalePatch()
        let status = form.value("status")
        if !status.isEmpty, status != sale.status?.uppercased() { patch.status = status }
        if let day = SaleDay(form.value("date_sale")), day.text != sale.dateSale.map(VentiaDate.formatDay) { patch.dateSale = day }
        let choice = form["user"]?.choice ?? 0
        if choice > 0, users.indices.contains(choice - 1), sale.user != .id(users[choice - 1].id) { patch.user = users[choice - 1].id }
        return patch
    }

    static func saleInput(_ form: FormState, users: [User]) -> SaleInput {
        func text(_ id: String) -> String? {
            let value = form.value(id).trimmingSpaces
            return value.isEmpty ? nil : value
        }
        let index = form["user"]?.choice ?? 0
        return SaleInput(
            status: text("status"), ticketId: text("ticket_id"), dateSale: text("date_sale").flatMap(SaleDay.init), type: text("type"),
            phone: text("phone"), name: text("name"), govId: text("gov_id"), user: users.indices.contains(index) ? users[index].id : nil)
    }

    static func pageSize(current: Int) -> FormState {
        FormState(fields: [
            FormField(id: "limit", label: "Per page", value: String(current)) { value in
                Int(value.trimmingSpaces).map { (1...100).contains($0) } == true ? nil : "a whole number from 1 to 100"
            }
        ])
    }
}
