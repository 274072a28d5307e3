import Foundation
import SnapshotTesting
import Testing
import TerminalUI
import VentiaAPI
import VentiaCore
@testable import VentiaApp
@testable import VentiaViewModels

/// Every pane and every modal state, drawn whole at 80×24 and 120×40 and compared with the text
/// files in `__Snapshots__/GoldenScreenTests/`: the characters, then the styles that carry meaning.
/// Re-record after an intended change with `SNAPSHOT_TESTING_RECORD=all swift test --filter GoldenScreenTests`,
/// and read the diff before committing it.
@Suite(.serialized) @MainActor struct GoldenScreenTests {
    enum Scene: String, CaseIterable, Sendable {
        case contacts, filter, timeline, errorLine, throttled, noColor
        case noticeWhileFiltering, noticeOverFilter, filterAfterNotice
        case usersErrorLine, salesAfterUsersError, usersErrorLineAgain
        case noteForm, noteFormServerError, reminderForm, reminderFormServerError
        case editContactForm, editContactFormServerError, createContactForm, createContactFormServerError
        case leadForm, leadFormServerError, transferPicker, archivePicker
        case help, helpFiltered, commandCompletion
        case users, userForm, userFormServerError, userEditForm, userEditFormServerError, userReplaceConfirm
        case sales, saleForm, saleFormServerError, saleEditForm, saleEditFormServerError, saleUpsertForm, saleUpsertFormServerError
        case pageSizeForm, pageSizeFormError
        case reviewWeek, reviewMonth, reviewYear, reviewDrill
        case company
        case webhooks, webhookForm, webhookFormServerError
        case marked, bulkConfirm, bulkDone, savedView
    }

    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]

    @Test(arguments: Scene.allCases)
    func screen(_ scene: Scene) async throws {
        for size in Self.sizes {
            // The review needs the demo's 200 sales over 60 days to have something to say.
            let bed = try await GoldenBed.start(saleCount: scene.rawValue.hasPrefix("review") ? 200 : 30)
            try await play(scene, on: bed)
            let text = ScreenText.render(bed.shell, width: size.width, height: size.height, colorMode: scene == .noColor ? .monochrome : .indexed256)
            assertSnapshot(of: text, as: .screen, named: "\(scene.rawValue)-\(size.width)x\(size.height)", testName: "screen")
            await bed.stop()
        }
    }

    /// The light and high-contrast themes over the list with a contact selected and the status line.
    @Test(arguments: ["light", "high-contrast"])
    func themed(_ name: String) async throws {
        let bed = try await GoldenBed.start()
        bed.keys(.char("j"))
        let text = ScreenText.render(bed.shell, width: 80, height: 24, theme: try #require(Theme.named[name]))
        assertSnapshot(of: text, as: .screen, named: "theme-\(name)-80x24", testName: "screen")
        await bed.stop()
    }

    /// The keys (and, for server errors, the injected answer) that bring the app to `scene`.
    func play(_ scene: Scene, on bed: GoldenBed) async throws {
        let shell = bed.shell
        switch scene {
        case .contacts, .noColor:
            break
        case .filter:
            bed.keys(.char("/"))
            bed.type("mar")
        case .noticeWhileFiltering, .noticeOverFilter, .filterAfterNotice:
            // A notice comes while a filter is typed: typing keeps the line; once the filter is
            // applied, the notice shows over its summary, and the summary is back when it goes.
            bed.keys(.char("/"))
            bed.type("mar")
            bed.session.show(Notice("Transfer of 3 contacts: 3/3 done"))
            if scene != .noticeWhileFiltering { bed.keys(Key(.enter)) }
            if scene == .filterAfterNotice { bed.session.clearNotice() }
        case .timeline:
            // The seeded contact with the most kinds of interaction, and a reminder set now for the kind it lacks.
            bed.select(contactId: try bed.contactWithEveryInteractionType())
            bed.keys(Key(.enter))
            await bed.settle("the timeline") { shell.timeline.state == .loaded }
            bed.keys(.char("r"))
            bed.type("tomorrow 9:00")
            bed.keys(Key(.enter))
            await bed.settle("the reminder") { shell.timeline.interactions.first?.type == "reminder" && shell.modal == nil }
        case .usersErrorLine, .salesAfterUsersError, .usersErrorLineAgain:
            // An error belongs to what failed: the users' shows on the users pane, not on the
            // sales pane (whose load succeeded), and again on the users pane until they load.
            bed.transport.inject(FaultInjectingTransport.unavailable(pathSuffix: "/user"))
            bed.keys(.char("2"), .ctrl("r"))
            await bed.settle("the users' error") { bed.session.lastError != nil }
            if scene == .usersErrorLine { break }
            bed.keys(.char("3"))
            await bed.settle("the sales") { shell.sales.state == .loaded }
            if scene == .usersErrorLineAgain { bed.keys(.char("2")) }
        case .errorLine:
            bed.transport.inject(FaultInjectingTransport.unavailable(pathSuffix: "/contact"))
            bed.keys(.ctrl("r"))
            await bed.settle("the error") { bed.session.lastError != nil }
        case .throttled:
            bed.transport.inject { request in
                request.url.path.hasSuffix("/contact") ? HTTPResponse(status: 429, headers: ["Retry-After": "30"], body: Data()) : nil
            }
            bed.keys(.ctrl("r"))
            await bed.settle("the refusal") { bed.session.lastError != nil }
        case .noteForm:
            bed.keys(.char("n"))
        case .noteFormServerError:
            try await submitWithServerError(bed, path: "/note", field: "body", message: "is too long for this account") {
                bed.keys(.char("n"))
                bed.type("Llamar el lunes")
            }
        case .reminderForm:
            bed.keys(.char("r"))
        case .reminderFormServerError:
            try await submitWithServerError(bed, path: "/reminder", field: "reminderDate", message: "must be in the future") {
                bed.keys(.char("r"))
                bed.type("tomorrow 9:00")
            }
        case .editContactForm:
            bed.keys(.char("e"))
        case .editContactFormServerError:
            try await submitWithServerError(bed, method: .put, path: "", field: "emails", message: "is already used by another contact") {
                bed.keys(.char("e"))
            }
        case .createContactForm:
            bed.keys(.char("c"))
        case .createContactFormServerError:
            try await submitWithServerError(bed, method: .post, path: "/contact", field: "phones", message: "is already used by another contact") {
                bed.keys(.char("c"))
                fill(bed, ["Rocío", "Píriz", "099 123 456"])
            }
        case .leadForm:
            bed.keys(.char("L"))
        case .leadFormServerError:
            try await submitWithServerError(bed, path: "/lead", field: "agent", message: "is not an active user") {
                bed.keys(.char("L"))
                fill(bed, ["Rocío", "Píriz", "099 123 456"])
            }
        case .transferPicker:
            bed.keys(.char("t"))
        case .archivePicker:
            bed.keys(.char("a"))
        case .help:
            bed.keys(.char("?"))
        case .helpFiltered:
            bed.keys(.char("?"))
            bed.type("note")
        case .commandCompletion:
            bed.keys(.char(":"))
            bed.type("co")
        case .users:
            bed.keys(.char("2"))
        case .userForm:
            bed.keys(.char("2"), .char("c"))
        case .userFormServerError:
            try await submitWithServerError(bed, path: "/user", field: "email", message: "is already in use") {
                bed.keys(.char("2"), .char("c"))
                fill(bed, ["Rocío", "Píriz", "rocio.piriz@example.com", "clave1"])
            }
        case .userEditForm:
            bed.keys(.char("2"), .char("e"))
        case .userEditFormServerError:
            try await submitWithServerError(bed, method: .patch, path: "", field: "name", message: "must be at most 32 characters") {
                bed.keys(.char("2"), .char("e"))
                bed.type("x")
            }
        case .userReplaceConfirm:
            bed.keys(.char("2"), .char("R"), Key(.enter))
        case .sales:
            try await openSales(bed)
        case .saleForm:
            try await openSales(bed)
            bed.keys(.char("c"))
        case .saleFormServerError:
            try await openSales(bed)
            // A new sale is upserted under an id of its own (PUT /sale/{id}), so a lost answer can be sent again.
            try await submitWithServerError(bed, method: .put, path: "", field: "phone", message: "is not a phone number") {
                bed.keys(.char("c"), Key(.tab))
                fill(bed, ["T-1001", "+59899123456"])
            }
        case .saleEditForm:
            try await openSales(bed)
            bed.keys(.char("e"))
        case .saleEditFormServerError:
            try await openSales(bed)
            try await submitWithServerError(bed, method: .patch, path: "", field: "date_sale", message: "is after the ticket's date") {
                bed.keys(.char("e"), Key(.tab), .ctrl("u"))
                bed.type("2026-11-01")
            }
        case .saleUpsertForm:
            try await openSales(bed)
            bed.keys(.char("U"))
        case .saleUpsertFormServerError:
            try await openSales(bed)
            try await submitWithServerError(bed, method: .put, path: "", field: "ticket_id", message: "is used by another sale") {
                bed.keys(.char("U"))
                bed.type("6955b9000000000000000abc")
                bed.keys(Key(.tab), Key(.tab))
                fill(bed, ["T-1002", "+59899123457"])
            }
        case .pageSizeForm:
            try await openSales(bed)
            bed.keys(.char("z"))
        case .pageSizeFormError:
            try await openSales(bed)
            bed.keys(.char("z"), .ctrl("u"))
            bed.type("500")
            bed.keys(Key(.enter))
        case .reviewWeek, .reviewMonth, .reviewYear, .reviewDrill:
            // Amounts as Montevideo writes them; the clock stands on Wednesday 18 November 2026.
            shell.context.money = MoneyFormat(locale: Locale(identifier: "es_UY"))
            try await openSales(bed)
            bed.keys(.char("o"))
            await bed.settle("the review") { shell.services.salesReview.state == .loaded }
            switch scene {
            case .reviewMonth: bed.keys(.char("p"), .char("p"), .char("h"))
            case .reviewYear: bed.keys(.char("p"), .char("p"), .char("p"), .char("p"), .char("p"), .char("p"), .char("h"), .char("S"))
            case .reviewDrill: bed.keys(.char("j"), Key(.enter))
            default: break
            }
            await bed.settle("the period's sales") { shell.services.salesReview.state == .loaded }
        case .company:
            bed.keys(.char("4"))
        case .webhooks:
            bed.keys(.char("5"))
            await bed.settle("the webhooks") { bed.shell.pane(WebhooksPane.self)?.webhooks.state == .loaded }
        case .webhookForm:
            bed.keys(.char("5"))
            await bed.settle("the webhooks") { bed.shell.pane(WebhooksPane.self)?.webhooks.state == .loaded }
            bed.keys(.char("c"))
            bed.type("Avisos")
            bed.keys(Key(.tab))
            bed.type("example.com/avisos")
            bed.keys(Key(.enter))  // refused before sending: not a URL the contract takes
        case .webhookFormServerError:
            bed.keys(.char("5"))
            await bed.settle("the webhooks") { bed.shell.pane(WebhooksPane.self)?.webhooks.state == .loaded }
            try await submitWithServerError(bed, path: "/webhook", field: "name", message: "is already taken") {
                bed.keys(.char("c"))
                bed.type("Avisos")
                bed.keys(Key(.tab))
                bed.type("https://example.com/avisos")
            }
        case .marked:
            markThree(bed)
        case .bulkConfirm:
            confirmBulkTransfer(bed)
        case .bulkDone:
            // Two marked, so that the one transfer that goes through leaves one order on screen
            // (a few writes are on the wire at once, and their answers may come in any order).
            bed.keys(.char("j"))
            bed.keys(.char("m"))
            bed.keys(.char("m"))
            bed.keys(.char("t"))
            bed.type("Martín")
            bed.keys(Key(.enter))
            // The second marked contact was deleted by a colleague meanwhile.
            let gone = try #require(shell.contacts.marks.ids.dropFirst().first)
            bed.transport.inject { request in
                request.url.path.contains(gone) ? HTTPResponse(status: 404, body: Data(#"{"success":false,"message":"Contact not found"}"#.utf8)) : nil
            }
            bed.keys(.char("s"))
            await bed.settle("the transfers") {
                if case .bulk(let bulk) = shell.modal { return bulk.run.isFinished }
                return false
            }
        case .savedView:
            var view = SavedView(name: "new and unassigned")
            view.statuses = ["new"]
            var quiet = SavedView(name: "no contact in 7 days")
            quiet.lastInteraction = .olderThanDays(7)
            shell.contacts.savedViews = [view, quiet]
            bed.keys(.char("v"))
        }
    }

    /// Three rows marked: the second, third and fifth.
    func markThree(_ bed: GoldenBed) {
        bed.keys(.char("j"))
        bed.keys(.char("m"))
        bed.keys(.char("m"))
        bed.keys(.char("j"))
        bed.keys(.char("m"))
    }

    /// The marked contacts' transfer, up to the window that says what it costs.
    func confirmBulkTransfer(_ bed: GoldenBed) {
        markThree(bed)
        bed.keys(.char("t"))
        bed.type("Martín")
        bed.keys(Key(.enter))
    }

    /// Drawing reads state and changes none of it: scroll positions move with the keys (clamped for
    /// the terminal's size then), so the same state draws the same frame however often it is drawn.
    @Test func drawingOnlyReads() async throws {
        let bed = try await GoldenBed.start()
        let shell = bed.shell
        shell.resize(to: Size(width: 80, height: 24))
        for _ in 0..<30 { bed.keys(.char("j")) }
        let table = try #require(shell.pane(ContactsPane.self)).table
        #expect(table.selected == 30 && table.offset == 11, "the list scrolled with the selection: \(table)")
        let first = ScreenText.render(shell, width: 80, height: 24)
        #expect(shell.pane(ContactsPane.self)?.table == table)
        #expect(ScreenText.render(shell, width: 80, height: 24) == first)

        bed.keys(.char("?"))
        for _ in 0..<500 { bed.keys(Key(.down)) }
        let scroll = try #require(shell.help?.scroll)
        #expect(scroll == shell.helpOverlay().maximumScroll(in: Rect(size: Size(width: 80, height: 24))) && scroll > 0)
        _ = ScreenText.render(shell, width: 80, height: 24)
        #expect(shell.help?.scroll == scroll)
        bed.keys(Key(.up))
        #expect(shell.help?.scroll == scroll - 1, "one key up scrolls up at once, however far down was pressed")
        // Typing narrows the help to what matches, accents and case aside; Esc clears, then closes.
        for character in "TRÁNSFER" { bed.keys(.char(character)) }
        let found = shell.helpOverlay(filter: try #require(shell.help?.filter)).shownSections
        #expect(found.flatMap(\.entries).map(\.help).allSatisfy { $0.lowercased().contains("transfer") } && !found.isEmpty)
        #expect(shell.help?.scroll == 0)
        bed.keys(Key(.escape))
        #expect(shell.help == HelpState())
        bed.keys(Key(.escape))
        #expect(shell.help == nil)

        bed.keys(.char("4"))
        await bed.settle("the company")
        for _ in 0..<500 { bed.keys(.char("j")) }
        let company = try #require(shell.pane(CompanyPane.self)).scroll
        _ = ScreenText.render(shell, width: 80, height: 24)
        #expect(shell.pane(CompanyPane.self)?.scroll == company && company < 500)
        await bed.stop()
    }

    /// Types each value into the next field, Tab between them.
    func fill(_ bed: GoldenBed, _ values: [String]) {
        for (index, value) in values.enumerated() {
            if index > 0 { bed.keys(Key(.tab)) }
            bed.type(value)
        }
    }

    /// The sales pane with an unlocked sale selected, so that editing it opens its form.
    func openSales(_ bed: GoldenBed) async throws {
        bed.keys(.char("3"))
        await bed.settle("sales") { bed.shell.sales.state == .loaded }
        let sales = bed.shell.sales
        let unlocked = try #require(sales.visible.firstIndex { !$0.lock })
        sales.select(unlocked)
    }

    /// Opens a form with `open`, sends it, and has the server refuse `field`: the form stays open
    /// with the input kept and the server's message under the field.
    func submitWithServerError(
        _ bed: GoldenBed, method: HTTPMethod = .post, path: String, field: String, message: String, open: () -> Void
    ) async throws {
        let body = #"{"success":false,"message":"Validation failed: \#(field) \#(message)","errors":[{"field":"\#(field)","message":"\#(message)"}]}"#
        bed.transport.inject { request in
            request.method == method && request.url.path.hasSuffix(path) ? HTTPResponse(status: 400, body: Data(body.utf8)) : nil
        }
        open()
        bed.keys(Key(.enter))
        await bed.settle("the refused form") {
            if case .form(let form) = bed.shell.modal { return !form.sending && form.state.fields.contains { $0.error != nil } }
            return false
        }
    }
}
