import Foundation
import Testing
import VentiaAPI

/// Every sample answer of the vendor's reference decodes, quirks included.
@Suite struct FixtureDecodingTests {
    @Test func contactSamplesDecode() throws {
        let list = try VentiaJSON.decode([Contact].self, from: try fixture("contact-list"))
        #expect(list.count == 1)
        #expect(list[0].fullName == "Agustin Suarez")
        #expect(list[0].agentFullName == "Agente Uno")
        #expect(list[0].lastInteraction == VentiaDate.parse("2022-05-20T16:00:00.004Z"))
        let single = try VentiaJSON.decode(Contact.self, from: try fixture("contact-get"))
        #expect(single.phones == ["+59897123456"])
        let modified = try VentiaJSON.decode(Contact.self, from: try fixture("contact-modify"))
        #expect(modified.agent == nil)
        #expect(modified.version == 1)
        #expect(modified.reminder != nil)
        let created = try VentiaJSON.decode(Contact.self, from: try fixture("contact-create"))
        #expect(created.originText == "Local")
        #expect(created.visits == 0)
        let lead = try VentiaJSON.decode(Contact.self, from: try fixture("lead-create"))
        #expect(lead.firstAgentFullName == "Agent Name")
    }

    @Test func interactionSamplesDecode() throws {
        let timeline = try VentiaJSON.decode([Interaction].self, from: try fixture("interactions-list"))
        #expect(timeline[0].content == .reminder(date: nil))
        let notes = try VentiaJSON.decode([Interaction].self, from: try fixture("notes-list"))
        #expect(notes[0].content == .note(body: "this is a note"))
        let note = try VentiaJSON.decode(NoteCreated.self, from: try fixture("note-create"))
        #expect(note.note.content == .note(body: "He will buy"))
        let archive = try VentiaJSON.decode(ContactArchived.self, from: try fixture("archive"))
        #expect(archive.archive.content == .archiving(from: "", to: "notclient"))
        let transfer = try VentiaJSON.decode(ContactTransferred.self, from: try fixture("transfer"))
        #expect(transfer.transfer.content == .transfer(fromUser: "63c85c877b9c7691b9b4e066", toUser: "6234da84259c59d9a555c498"))
        let reminder = try VentiaJSON.decode(ReminderCreated.self, from: try fixture("reminder"))
        #expect(reminder.reminder.content == .reminder(date: VentiaDate.parse("2023-05-23T20:25:02.561Z")))
        #expect(reminder.message == "Reminder created")
    }

    @Test func userSamplesDecodeWithBothFirstLoginShapes() throws {
        let list = try VentiaJSON.decode([User].self, from: try fixture("users-list"))
        #expect(list[0].firstLogin == .pending(true))
        let byId = try VentiaJSON.decode(User.self, from: try fixture("user-get"))
        #expect(byId.firstLogin == .date(try #require(VentiaDate.parse("2024-01-01T12:00:00Z"))))
        #expect(byId.roles == [.user, .supervisor])
        for name in ["user-create", "user-patch", "user-put"] {
            _ = try VentiaJSON.decode(User.self, from: try fixture(name))
        }
    }

    @Test func groupSampleDecodes() throws {
        let groups = try VentiaJSON.decode([Group].self, from: try fixture("groups-list"))
        #expect(groups[0].archivingReasons.map(\.code) == ["notwork"])
        #expect(groups[0].origins[0].active == false)
        #expect(groups[0].visitResults[0].type == "done")
        #expect(groups[0].additionalDataFields[0].required)
        #expect(groups[0].statusTags.isEmpty)
    }

    @Test func saleSamplesDecodeWithBothUserShapes() throws {
        let page = try VentiaJSON.decode(SalesPage.self, from: try fixture("sales-list"))
        #expect(page.data[0].user == .person(name: "string", lastname: "string"))
        #expect(page.pagination.totalPages == 0)
        let created = try VentiaJSON.decode(Sale.self, from: try fixture("sale-create"))
        #expect(created.user == .id("abcd1234efgh5678ijkl9012"))
        #expect(created.userDisplayName == "John Doe")
        #expect(created.dateSale == VentiaDate.parse("2024-02-24T15:00:00.000Z"))
        let patched = try VentiaJSON.decode(Sale.self, from: try fixture("sale-patch"))
        #expect(patched.dateSale == VentiaDate.parseDay("2019-08-24"))
        _ = try VentiaJSON.decode(Sale.self, from: try fixture("sale-get"))
        let upserted = try VentiaJSON.decode(Sale.self, from: try fixture("sale-upsert"))
        #expect(upserted.product == "string")
    }

    @Test func remainingSamplesDecode() throws {
        let entry = try VentiaJSON.decode(LeadEntry.self, from: try fixture("leadentry-create"))
        #expect(entry.additionalData["property1"] == .string("string"))
        let sent = try VentiaJSON.decode(WhatsAppSendResult.self, from: try fixture("whatsapp-send"))
        #expect(sent.messages.map(\.id) == ["WHATSAPP_MESSAGE_ID"])
        // The webhook samples carry a trailing comma: they are not strict JSON, and still decode.
        let hooks = try VentiaJSON.decode(WebhookList.self, from: try fixture("webhooks-list"))
        #expect(hooks.webhooks[0].name == "Webhook Test")
        #expect(hooks.totalCount == 1)
        let hook = try VentiaJSON.decode(WebhookEnvelope.self, from: try fixture("webhook-get"))
        #expect(hook.result.active)
        #expect(try VentiaJSON.decode(WebhookCreated.self, from: try fixture("webhook-create")).id == "67bca48d5fc32659c854f83c")
        #expect(try VentiaJSON.decode(SuccessAnswer.self, from: try fixture("webhook-update")).success)
    }

    @Test func unknownFieldsAreIgnoredAndWrongTypesNameTheirPath() throws {
        let extra = Data(#"[{"_id":"a","firstName":"Ana","brandNewField":{"x":1}}]"#.utf8)
        #expect(try VentiaJSON.decode([Contact].self, from: extra)[0].firstName == "Ana")
        let wrong = Data(#"{"data":[{"_id":"s1","lock":"yes"}],"pagination":{"totalItems":1,"totalPages":1,"currentPage":1}}"#.utf8)
        #expect(throws: VentiaError.self) { try VentiaJSON.decode(SalesPage.self, from: wrong) }
        do {
            _ = try VentiaJSON.decode(SalesPage.self, from: wrong)
        } catch {
            guard case .decoding(let path, _) = error else { Issue.record("expected a decoding error"); return }
            #expect(path == "data[0].lock")
        }
        let badDate = Data(#"{"_id":"c","createdAt":"yesterday"}"#.utf8)
        do {
            _ = try VentiaJSON.decode(Contact.self, from: badDate)
            Issue.record("a malformed date must not pass")
        } catch {
            #expect(error.description.contains("createdAt"))
        }
        let missingBody = Data(#"{"_id":"i","type":"note","content":{}}"#.utf8)
        do {
            _ = try VentiaJSON.decode(Interaction.self, from: missingBody)
            Issue.record("a note without a body must not pass")
        } catch {
            #expect(error == .decoding(path: "content.body", reason: "missing field"))
        }
    }

    @Test func whatsAppMessagesRoundTripEveryType() throws {
        let messages: [WhatsAppMessage] = [
            .text(body: "Hola"), .image(WhatsAppMedia(link: "https://x/y.png", caption: "Foto")), .video(WhatsAppMedia(id: "m1")),
            .document(WhatsAppMedia(link: "https://x/a.pdf", filename: "a.pdf")), .audio(WhatsAppMedia(id: "a1")),
            .interactive(WhatsAppButtons(bodyText: "¿Vienes?", buttons: [.init(id: "y", title: "Sí"), .init(id: "n", title: "No")])),
            .location(WhatsAppLocation(longitude: "-56.16", latitude: "-34.90", name: "Rambla")),
            .template(WhatsAppTemplate(name: "seguimiento", languageCode: "es", components: [.init(type: "body", parameters: [["type": "text", "text": "Ana"]])])),
        ]
        for message in messages {
            let data = try VentiaJSON.encoder().encode(message)
            #expect(try VentiaJSON.decode(WhatsAppMessage.self, from: data) == message)
        }
    }
}
