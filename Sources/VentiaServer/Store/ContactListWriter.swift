import Foundation
import VentiaAPI

/// Writes a page of the contact list as text, outside any database access: what it needs (the
/// agents' names, the account's archiving reasons) is read with the page.
struct ContactListWriter {
    var account: AccountRecord
    var archivingReasons: [GroupRecord.Option]
    var agentNames: [String: String]

    func page(_ contacts: [ContactRecord]) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        bytes.reserveCapacity(700 * contacts.count + 2)
        for (index, contact) in contacts.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(contact, into: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        return bytes
    }

    /// As `StoreAccess.archivingReasonName`.
    func archivingReasonName(_ code: String) -> String {
        guard !code.isEmpty else { return "" }
        return archivingReasons.first { $0.code == code }?.name ?? code
    }

/// The list shape written straight as text, members in the order the API's coder sorts them
/// (their UTF-8 bytes): the contact list is the hot path, and building a dictionary per contact
/// to sort its keys cost more than the query. A test holds it to `listJSON`, byte for byte.
func write(_ contact: ContactRecord, into bytes: inout [UInt8]) {
    func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes += [UInt8(ascii: "\""), UInt8(ascii: ":")]
    }
    func string(_ text: String) { JSONWriter.write(text, into: &bytes) }
    func optional(_ text: String?) { if let text { string(text) } else { bytes += "null".utf8 } }
    func date(_ date: Date?) {
        guard let date else { return bytes += "null".utf8 }
        bytes.append(UInt8(ascii: "\""))
        VentiaDate.append(date, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
    func strings(_ list: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, item) in list.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(item)
        }
        bytes.append(UInt8(ascii: "]"))
    }
    bytes.append(UInt8(ascii: "{"))
    key("__v", first: true)
    bytes += String(contact.version).utf8
    key("_id"); string(contact.id)
    key("agent"); optional(contact.agent)
    key("agentAssigned"); date(contact.agentAssigned)
    key("agentFullName"); string(contact.agent.flatMap { agentNames[$0] } ?? "")
    key("archivingReason"); string(contact.archivingReason)
    key("archivingReasonText"); string(archivingReasonName(contact.archivingReason))
    key("channels"); strings(contact.channels)
    key("company"); string(account.id)
    key("createdAt"); date(contact.createdAt)
    key("detail"); string(contact.detail)
    key("emails"); strings(contact.emails)
    key("firstName"); string(contact.firstName)
    key("lastInteraction"); date(contact.lastInteraction)
    key("lastName"); string(contact.lastName)
    key("origin"); string(contact.origin)
    key("phones"); strings(contact.phones)
    if let reminder = contact.reminder {
        key("reminder"); date(reminder)
    }
    key("status"); string(contact.status)
    key("updatedAt"); date(contact.updatedAt)
    bytes.append(UInt8(ascii: "}"))
}
}
