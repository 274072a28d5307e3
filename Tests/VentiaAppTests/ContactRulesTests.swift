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
        let writeErrors = ContactActions.validate(input)
        #expect(writeErrors == [
            FieldError(field: "firstName", message: "must not be empty"), FieldError(field: "emails", message: "\"nope\" is not a valid email address"),
            FieldError(field: "phones", message: "\"12\" is not a phone number"), FieldError(field: "origin", message: "is required"),
        ])
        var form = ContactForms.contact(nil, origins: [])
        form["firstName"]?.input = TextFieldState(" ")
        form["emails"]?.input = TextFieldState("nope")
        form["phones"]?.input = TextFieldState("12")
        let formValid = form.validate()
        #expect(!formValid)
        for field in ["firstName", "emails", "phones"] {
            #expect(form[field]?.error == writeErrors.first { $0.field == field }?.message, "\(field)")
        }
        var note = ContactForms.note()
        let noteValid = note.validate()
        #expect(!noteValid)
        #expect(note["body"]?.error == ContactFieldRules.noteBody(""))
        #expect(ContactFieldRules.noteBody("") == "must not be empty")
    }
}
