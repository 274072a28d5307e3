import Foundation
import Testing
import TerminalUI
import VentiaAPI
@testable import VentiaApp
@testable import VentiaViewModels

/// A contact field is checked by one rule: the form under the field and the write before sending say the same.
@Suite @MainActor struct ContactRulesTests {
    @Test func theFormAndTheWriteRefuseWithTheSameWords() {
        let input = ContactInput(firstName: " ", lastName: "", emails: ["nope"], phones: ["12"], detail: "", origin: "")
        let writeErrors = ContactFieldRules.check(input)
        #expect(writeErrors == [
            FieldError(field: "firstName", message: "must not be empty"), FieldError(field: "emails", message: "\"nope\" is not a valid email address"),
            FieldError(field: "phones", message: "\"12\" is not a phone number"), FieldError(field: "origin", message: "is required"),
        ])
        var form = FormState(ContactWriteFields.contact(nil, origins: []))
        form["firstName"]?.input = TextFieldState(" ")
        form["emails"]?.input = TextFieldState("nope")
        form["phones"]?.input = TextFieldState("12")
        let formValid = form.validate()
        #expect(!formValid)
        for field in ["firstName", "emails", "phones"] {
            #expect(form[field]?.error == writeErrors.first { $0.field == field }?.message, "\(field)")
        }
        var note = FormState(ContactWriteFields.note())
        let noteValid = note.validate()
        #expect(!noteValid)
        #expect(note["body"]?.error == ContactFieldRules.noteBody(""))
        #expect(ContactFieldRules.noteBody("") == "must not be empty")
    }
}

/// The writes' fields and how their values become requests, checked without a terminal.
@Suite struct WriteFieldsTests {
    @Test func fieldNamesAreTheAPIsAndComeBackFromThem() {
        #expect(Set(FieldName.fixed.map(\.rawValue)).count == FieldName.fixed.count)
        #expect(FieldName.fixed.allSatisfy { FieldName(rawValue: $0.rawValue) == $0 })
        #expect(FieldName.phoneWork.rawValue == "phone_work" && FieldName.dateSale.rawValue == "date_sale")
        #expect(FieldName(rawValue: "additionalData.bedrooms") == .additionalData("bedrooms"))
        #expect(FieldName(rawValue: "phoneWork") == nil, "only the API's own spelling")
    }

    @Test func contactValuesBecomeTheInputTheAPITakes() {
        let values = WriteValues(text: ["firstName": " Rocío ", "lastName": "Píriz", "phones": "099 123 456, , +59899000111", "emails": "", "origin": "web", "detail": "x"])
        #expect(ContactWriteFields.input(values) == ContactInput(
            firstName: "Rocío", lastName: "Píriz", emails: [], phones: ["099 123 456", "+59899000111"], detail: "x", origin: "web"))
        let fields = ContactWriteFields.contact(nil, origins: [])
        #expect(fields.map(\.id.rawValue) == ["firstName", "lastName", "phones", "emails", "origin", "detail"])
        #expect(ContactWriteFields.lead(origins: [], agents: []).map(\.id.rawValue) == fields.map(\.id.rawValue) + ["agent"], "a lead is the contact's fields and an agent")
        #expect(fields.first { $0.id == .phones }?.check("099 123 456, 12") == "\"12\" is not a phone number")
    }

    @Test func aSalePatchHoldsOnlyWhatChanged() throws {
        let json = #"{"_id":"6955b90000000000000000fb","status":"SOLD","date_sale":"2026-11-18T15:00:00.000Z","user":{"name":"Martín","lastname":"Olivera"},"lock":false}"#
        let sale = try VentiaJSON.decode(Sale.self, from: Data(json.utf8))
        let untouched = WriteValues(text: ["status": "SOLD", "date_sale": "2026-11-18"], choices: ["user": 0])
        #expect(AdminWriteFields.salePatch(untouched, sale: sale, users: []).isEmpty)
        let changed = WriteValues(text: ["status": "CANCELLED", "date_sale": "2026/11/20"], choices: ["user": 0])
        let patch = AdminWriteFields.salePatch(changed, sale: sale, users: [])
        #expect(patch.status == "CANCELLED" && patch.dateSale?.text == "2026/11/20" && patch.user == nil)
        #expect(AdminWriteFields.checkDay("20-11-2026") == "write the date as yyyy-mm-dd or yyyy/mm/dd")
    }

    @Test func userFieldsCheckWithTheServersRules() {
        let fields = AdminWriteFields.user(nil, withPassword: true)
        #expect(fields.map(\.id.rawValue) == ["name", "lastname", "email", "password", "phone_work", "roles"])
        #expect(fields[0].check("R") == "must be 2 to 32 characters")
        #expect(fields[2].check("rocio@") == "must be a valid email address")
        let input = AdminWriteFields.newUser(WriteValues(text: ["name": "Rocío", "lastname": "Píriz", "email": "r@x.uy", "password": "clave", "roles": ""]))
        #expect(input.roles == [.user] && input.phoneWork == nil)
    }
}
