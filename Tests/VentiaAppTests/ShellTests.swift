import Foundation
import ShippedKeymaps
import Testing
import TextSearch
import TerminalUI
import VentiaAPI
import VentiaCore
@testable import VentiaApp
@testable import VentiaViewModels

/// The whole app drawn into a text buffer and driven by keys, against the demo server.
@Suite(.serialized) @MainActor struct ShellTests {
    init() {}

    func makeShell(_ bed: DemoBed, keymap name: String = "default") throws -> AppShell {
        let (schema, _) = KeymapLoader.parseSchema(try #require(ShippedKeymaps.text("actions")), file: "actions.yaml")
        let (keymap, issues) = KeymapLoader.parseKeymap(try #require(ShippedKeymaps.text(name)), file: "\(name).yaml", schema: schema)
        #expect(issues.isEmpty)
        return AppShell(session: bed.session, keymap: keymap, schema: schema, timeZone: TimeZone(identifier: "UTC") ?? .current)
    }

    func screen(_ shell: AppShell, width: Int = 80, height: Int = 24) -> [String] {
        var buffer = CellBuffer(size: Size(width: width, height: height))
        _ = shell.draw(&buffer)
        return buffer.lines()
    }

    func type(_ shell: AppShell, _ text: String) {
        for character in text { shell.handle(.char(character)) }
    }

    /// A shell over a demo server whose answers a test can replace, started and showing contacts.
    func startWithFaults() async throws -> (DemoBed, AppShell, FaultInjectingTransport) {
        let transport = FaultInjectingTransport()
        let bed = try await DemoBed.start(contacts: 30, transport: transport)
        let shell = try makeShell(bed)
        shell.start()
        await eventually("contacts") { shell.contacts.state == .loaded && bed.session.usersState == .loaded }
        return (bed, shell, transport)
    }

    /// A load's error shows on its own pane and ends when the same load succeeds; another load's
    /// success does not clear it, and it does not follow the user to other panes.
    /// How it looks is in the golden scenes usersErrorLine, salesAfterUsersError and usersErrorLineAgain.
    @Test func anErrorBelongsToWhatFailedAndEndsWhenItSucceeds() async throws {
        let (bed, shell, transport) = try await startWithFaults()
        transport.inject(FaultInjectingTransport.unavailable(pathSuffix: "/user"))
        shell.handle(.char("2"))
        shell.handle(.ctrl("r"))
        await eventually("the users' error") { bed.session.lastError != nil }
        #expect(bed.session.lastErrorSource == .users && shell.focused.shows(errorFrom: bed.session.lastErrorSource))

        shell.handle(.char("3"))
        await eventually("sales") { shell.sales.state == .loaded }
        #expect(bed.session.lastError != nil, "the sales' success cleared the users' error")
        #expect(!shell.focused.shows(errorFrom: bed.session.lastErrorSource), "the users' error followed to the sales pane")

        transport.inject(nil)
        shell.handle(.char("2"))
        #expect(shell.focused.shows(errorFrom: bed.session.lastErrorSource))
        shell.handle(.ctrl("r"))
        await eventually("the users reloaded") { bed.session.usersState == .loaded }
        #expect(bed.session.lastError == nil)
        await bed.stop()
    }

    /// A note written while the history failed to load shows, and the pane says the rest is missing
    /// instead of passing the note off as the whole timeline.
    @Test func aNoteAfterAFailedTimelineSaysTheRestDidNotLoad() async throws {
        let (bed, shell, transport) = try await startWithFaults()
        transport.inject(FaultInjectingTransport.unavailable(pathSuffix: "/interactions"))
        shell.handle(Key(.enter))
        await eventually("the failed timeline") { shell.timeline.state.failureMessage != nil }
        shell.handle(.char("n"))
        type(shell, "Llamar mañana")
        shell.handle(Key(.enter))
        await eventually("the note") { shell.timeline.interactions.first?.content == .note(body: "Llamar mañana") }
        #expect(shell.timeline.interactions.count == 1)
        let lines = screen(shell, width: 120, height: 40)
        let timelineTop = try #require(lines.firstIndex { $0.contains("Timeline") })
        let warning = "✗ The rest of the timeline did not load: Server error 503: Service Unavailable — C-r retries"
        #expect(lines[timelineTop + 1].contains(warning), "\(lines.joined(separator: "\n"))")
        #expect(lines[timelineTop + 2].contains("✎") && lines[timelineTop + 2].contains("Llamar mañana"))
        await bed.stop()
    }

    @Test func agentFlowAt80x24() async throws {
        let bed = try await DemoBed.start()
        let shell = try makeShell(bed)
        shell.start()
        await eventually("contacts") { shell.contacts.state == .loaded && bed.session.usersState == .loaded }
        var lines = screen(shell)
        #expect(lines[0].hasPrefix(" 1 Contacts  2 Users  3 Sales"))
        #expect(lines[1].hasPrefix("Name"))
        #expect(lines[23].contains("DEMO") && lines[23].contains("API 19"))
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 80 })

        shell.handle(.char("j"))
        let chosen = try #require(shell.contacts.selectedContact)
        shell.handle(Key(.enter))
        #expect(shell.openContactId == chosen.id)
        await eventually("the timeline") { shell.timeline.state == .loaded || shell.timeline.state == .empty }
        lines = screen(shell)
        #expect(lines[1].contains(chosen.fullName.prefix(10)))
        #expect(lines.contains { $0.contains("Timeline") })

        shell.handle(.char("n"))
        type(shell, "Visita confirmada")
        lines = screen(shell)
        #expect(lines.contains { $0.contains("Note for") })
        #expect(lines.contains { $0.contains("enter sends · esc cancels") }, "one field: no next-field hint")
        shell.handle(Key(.enter))
        await eventually("the note") { shell.timeline.interactions.first?.content == .note(body: "Visita confirmada") }
        lines = screen(shell)
        #expect(lines.contains { $0.contains("✎") && $0.contains("Visita confirmada") })
        #expect(lines[22].contains("Note added"))

        shell.handle(.char("r"))
        type(shell, "+2h")
        lines = screen(shell)
        #expect(lines.contains { $0.contains("→ ") && $0.contains("(UTC+00:00)") }, "the resolved time shows before sending")
        shell.handle(Key(.enter))
        await eventually("the reminder") { shell.timeline.interactions.first?.type == "reminder" }
        guard case .reminder(let set?)? = shell.timeline.interactions.first?.content else {
            Issue.record("the timeline's first entry is not the reminder")
            return
        }
        // The card's reminder row names exactly the time set, unmarked since it is ahead.
        let reminderRow = "│ Reminder  " + DateText(timeZone: TimeZone(identifier: "UTC") ?? .current).full(set)
        await eventually("the card's reminder") { screen(shell).contains { $0.hasPrefix(reminderRow + " ") && $0.hasSuffix("│") && !$0.contains("(past)") } }

        shell.handle(.char("q"))
        #expect(shell.openContactId == nil)
        // A reminder whose time has gone by is marked on the card.
        let past = try #require(shell.contacts.visible.firstIndex { shell.contacts.contacts[$0].reminder.map { $0 < Date() } == true })
        shell.contacts.select(past)
        shell.handle(Key(.enter))
        #expect(screen(shell).contains { $0.contains("Reminder") && $0.contains("(past)") })
        await bed.stop()
    }

    /// `:me` picks who I am from the users: config.yml keeps it beside what was there, the status
    /// line names me, and "my day" stands in for the views config.yml lacks.
    @Test func meIsPickedFromTheUsersAndKept() async throws {
        let bed = try await DemoBed.start()
        let shell = try makeShell(bed)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-me-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("config.yml")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "# mine\nkeymap: default\n".write(to: file, atomically: true, encoding: .utf8)
        shell.services.me.configFile = file
        shell.start()
        await eventually("contacts") { shell.contacts.state == .loaded && bed.session.usersState == .loaded }
        #expect(shell.contacts.savedViews.isEmpty)
        #expect(!screen(shell)[23].contains("me:"))
        shell.handle(.char(":"))
        type(shell, "me")
        shell.handle(Key(.enter))
        #expect(screen(shell).contains { $0.contains("Who are you?") })
        type(shell, "martin oli")
        shell.handle(Key(.enter))
        let martin = try #require(bed.session.users.first { $0.fullName == "Martín Olivera" })
        #expect(try String(contentsOf: file, encoding: .utf8) == "# mine\nkeymap: default\nme: \"\(martin.email)\"\n")
        #expect(bed.session.me == martin.email)
        let lines = screen(shell)
        #expect(lines[23].contains("me: Martín Olivera"), "\(lines[23])")
        #expect(lines[22].contains("You are Martín Olivera: kept as me: in config.yml"), "\(lines[22])")
        #expect(shell.contacts.savedViews == SavedView.myDay)
        await eventually("my views counted") { shell.contacts.viewCounts.count == 3 && shell.contacts.viewCounts.allSatisfy { $0 != nil } }
        await bed.stop()
    }

    /// A notice that concerns me is counted on the status line until `:notices` lists it; choosing
    /// it there, or ctrl-o anywhere, opens its contact. A mistyped command names the one meant.
    @Test func noticesAreListedAndOpenTheirContact() async throws {
        let bed = try await DemoBed.start()
        let shell = try makeShell(bed)
        shell.start()
        await eventually("contacts") { shell.contacts.state == .loaded && bed.session.usersState == .loaded }
        let first = try #require(shell.contacts.contacts.first)
        let second = try #require(shell.contacts.contacts.dropFirst().first)
        bed.session.announce("◷ Call \(first.fullName) — reminder due now", contactId: first.id)
        bed.session.announce("● \(second.fullName) wrote on WhatsApp", contactId: second.id)
        var lines = screen(shell)
        #expect(lines[23].contains("⚑ 2"), "\(lines[23])")
        #expect(lines[22].contains("wrote on WhatsApp"))
        shell.handle(.ctrl("o"))
        #expect(shell.openContactId == second.id, "ctrl-o: the newest notice's contact")
        shell.handle(.char("q"))
        shell.handle(.char("2"))
        shell.handle(.char(":"))
        type(shell, "notcies")
        shell.handle(Key(.enter))
        #expect(bed.session.notice?.text == ":notcies is not a command; did you mean :notices?")
        shell.handle(.char(":"))
        type(shell, "notices")
        shell.handle(Key(.enter))
        lines = screen(shell)
        #expect(lines.contains { $0.contains("Notices — enter opens the contact") })
        #expect(lines.contains { $0.contains("◷ Call \(first.fullName)") } && lines.contains { $0.contains("wrote on WhatsApp") })
        #expect(!lines[23].contains("⚑"), "listed: read")
        shell.handle(Key(.down))
        shell.handle(Key(.enter))
        #expect(shell.openContactId == first.id, "the older notice, from the users pane")
        await bed.stop()
    }

    /// The mouse: a click on a tab shows its pane, on a row selects it, twice opens it; the wheel
    /// moves as three arrow keys.
    @Test func theMouseSelectsOpensScrollsAndSwitchesTabs() async throws {
        let bed = try await DemoBed.start()
        let shell = try makeShell(bed)
        shell.resize(to: Size(width: 80, height: 24))
        shell.start()
        await eventually("contacts") { shell.contacts.state == .loaded && bed.session.usersState == .loaded }
        func click(_ x: Int, _ y: Int) { shell.handle(.mouse(MouseEvent(.press(.left), at: Point(x: x, y: y)))) }
        // Line 0 is the tab bar, line 1 the list's header, line 2 its first row.
        click(5, 6)
        #expect(shell.contacts.selection == 4)
        shell.handle(.mouse(MouseEvent(.wheelDown, at: Point(x: 5, y: 10))))
        #expect(shell.contacts.selection == 7)
        shell.handle(.mouse(MouseEvent(.wheelUp, at: Point(x: 5, y: 10))))
        #expect(shell.contacts.selection == 4)
        let chosen = try #require(shell.contacts.selectedContact)
        click(5, 6)
        #expect(shell.openContactId == chosen.id, "a second click on the row opens it")
        shell.handle(.char("q"))
        click(14, 0)
        #expect(screen(shell)[0].hasPrefix(" 1 Contacts  2 Users"))
        #expect(shell.pane == UsersPane.registration.id, "the Users tab")
        await eventually("users") { bed.session.usersState == .loaded }
        click(2, 4)
        #expect(try #require(shell.pane(UsersPane.self)).users.selection == 2, "line 2 of the users' table (its header on line 1)")
        click(2, 23)
        #expect(shell.pane == UsersPane.registration.id, "the status line is no tab")
        await bed.stop()
    }

    /// `:` is a command palette: every action of the pane by name, with its key, runs as its key does.
    @Test func everyActionIsOneColonAway() async throws {
        let bed = try await DemoBed.start()
        let shell = try makeShell(bed)
        shell.start()
        await eventually("contacts") { shell.contacts.state == .loaded }
        shell.handle(.char(":"))
        type(shell, "transf")
        #expect(screen(shell)[22].contains("transfer (t)"), "\(screen(shell)[22])")
        shell.handle(Key(.escape))
        shell.handle(.char(":"))
        type(shell, "add_n")
        shell.handle(Key(.enter))
        #expect(screen(shell).contains { $0.contains("Note for") }, "the note form, as n opens it")
        shell.handle(Key(.escape))
        await bed.stop()
    }

    /// A click on a window's button presses it, as its keys would: here a bulk action's question,
    /// whose cancel sends nothing.
    @Test func aClickOnAWindowsButtonPressesIt() async throws {
        let bed = try await DemoBed.start()
        let shell = try makeShell(bed)
        shell.resize(to: Size(width: 80, height: 24))
        shell.start()
        await eventually("contacts") { shell.contacts.state == .loaded && bed.session.group != nil }
        shell.handle(.char("m"))
        shell.handle(.char("m"))
        shell.handle(.char("a"))
        shell.handle(Key(.enter))
        let dialog = try #require(ShellPointer(shell: shell).dialogInFront(), "the bulk action asks first")
        let body = PaneContext.bodyArea(in: Rect(size: Size(width: 80, height: 24)))
        func place(of button: Int) -> Point? {
            for y in body.y..<body.maxY { for x in body.x..<body.maxX where Dialog().button(at: Point(x: x, y: y), in: body, state: dialog) == button { return Point(x: x, y: y) } }
            return nil
        }
        let cancel = try #require(place(of: dialog.buttons.count - 1))
        #expect(Dialog().button(at: Point(x: cancel.x, y: cancel.y - 1), in: body, state: dialog) == nil, "the line above the buttons")
        shell.handle(.mouse(MouseEvent(.press(.left), at: cancel)))
        #expect(shell.modal == nil, "the last button, \(dialog.buttons.last ?? ""), closed the question")
        #expect(bed.session.outbox.entries.isEmpty, "nothing was sent")
        await bed.stop()
    }

    @Test func longNotesWrapInTheTimeline() async throws {
        let bed = try await DemoBed.start()
        let shell = try makeShell(bed)
        shell.start()
        await eventually("contacts") { shell.contacts.state == .loaded }
        shell.handle(Key(.enter))
        await eventually("the timeline") { shell.timeline.state == .loaded || shell.timeline.state == .empty }
        let note = "Llamó para preguntar por la financiación en cuotas y si aceptan permuta por un auto usado; quiere visitar el sábado de mañana con la familia FINAL"
        shell.handle(.char("n"))
        type(shell, note)
        shell.handle(Key(.enter))
        await eventually("the note") { shell.timeline.interactions.first?.content == .note(body: note) }
        let lines = screen(shell)
        let first = try #require(lines.firstIndex { $0.contains("✎") && $0.contains("Llamó para") })
        #expect(lines[first + 1].contains("financiación") || lines[first + 1].contains("permuta"), "the note goes on under its first line")
        #expect(lines[first...].prefix(4).contains { $0.contains("FINAL") }, "the whole note shows:\n\(lines.joined(separator: "\n"))")
        await bed.stop()
    }

    @Test func hintsNameTheKeysOfTheKeymapInUse() async throws {
        let bed = try await DemoBed.start()
        let shell = try makeShell(bed, keymap: "emacs")
        shell.start()
        await eventually("contacts") { shell.contacts.state == .loaded }
        var lines = screen(shell)
        #expect(lines[0].hasPrefix(" M-1 Contacts  M-2 Users"))
        #expect(lines[23].hasSuffix("f1 help") || lines[23].hasSuffix("F1 help"), "\(lines[23])")
        shell.handle(.char("c"))
        lines = screen(shell)
        #expect(lines.contains { $0.contains("enter sends · tab next field · C-g cancels") })
        shell.handle(Key(.escape))
        shell.handle(Key(.char("3"), .alt))
        await eventually("sales") { shell.sales.state == .loaded }
        lines = screen(shell)
        #expect(lines[1].contains("f status  ·  [ ] pages  ·  o overview"))
        await bed.stop()
    }

    /// A notice shows over the summary of a filter in force, and gives the line back when it
    /// goes; a filter being typed keeps the line.
    @Test func aFailedNoteKeepsItsText() async throws {
        let bed = try await DemoBed.start()
        let shell = try makeShell(bed)
        shell.start()
        await eventually("contacts") { shell.contacts.state == .loaded }
        shell.handle(.char("n"))
        type(shell, "No se pierde")
        await bed.stopAndLetTheClientNotice()  // the server goes away: the note cannot be sent now
        shell.handle(Key(.enter))
        await eventually("the form closed, the note kept") { shell.modal == nil && bed.session.outbox.pendingCount == 1 }
        #expect(bed.session.outbox.entries.first?.write == .note(body: "No se pierde"))
        #expect(bed.session.outbox.entries.first?.state == .queued, "no connection was made: it is sent again as it is, unchecked")
        #expect(screen(shell).contains { $0.contains("Note kept: the server cannot be reached") })
        #expect(screen(shell).contains { $0.contains("⧗ 1") })
    }

    @Test func filterCommandsHelpAndPanes() async throws {
        let bed = try await DemoBed.start()
        let shell = try makeShell(bed)
        shell.start()
        await eventually("contacts") { shell.contacts.state == .loaded }
        let name = try #require(shell.contacts.contacts.first?.lastName.split(separator: " ").first).lowercased()
        shell.handle(.char("/"))
        type(shell, TextFolding.fold(String(name)))
        #expect(shell.pane(ContactsPane.self)?.filterEditing == true, "the filter line is open (the filter golden scene shows it)")
        #expect(shell.contacts.visible.count < shell.contacts.contacts.count)
        shell.handle(Key(.escape))
        #expect(shell.contacts.filterText.isEmpty)
        shell.handle(.char("/"))
        type(shell, "zzzz")
        #expect(screen(shell).contains { $0.contains("No loaded contact matches \"zzzz\" — A loads every page") })
        shell.handle(Key(.escape))

        shell.handle(.char(":"))
        type(shell, "us")
        shell.handle(Key(.tab))
        guard case .command(let line)? = shell.modal else {
            Issue.record("the : line closed on Tab")
            return
        }
        #expect(line.field.text == "users", "Tab completed the command (the commandCompletion golden scene shows the line)")
        shell.handle(Key(.enter))
        #expect(shell.pane == .users)
        shell.handle(.char(":"))
        type(shell, "bogus")
        shell.handle(Key(.enter))
        #expect(bed.session.notice?.kind == .error)
        shell.handle(.char(":"))
        type(shell, "co")
        shell.handle(Key(.enter))
        #expect(bed.session.notice?.text == ":co could be :contacts or :company")
        #expect(shell.pane == .users)
        shell.handle(.char(":"))
        type(shell, "comp")
        shell.handle(Key(.enter))
        #expect(shell.pane == .company, "the start of one command runs it")
        shell.handle(.char("2"))

        shell.handle(Key(.tab))
        #expect(shell.pane == .sales)
        await eventually("sales") { shell.sales.state == .loaded }
        #expect(shell.sales.pageDescription.contains("page 1 of"))
        shell.handle(.char("]"))
        await eventually("page 2") { shell.sales.cursor.page == 2 && shell.sales.state == .loaded }

        shell.handle(.char("?"))
        let help = screen(shell, width: 100, height: 40)
        #expect(help.contains { $0.contains("Help") })
        #expect(help.contains { $0.contains("Next page of sales") })
        shell.handle(Key(.escape))
        #expect(shell.help == nil)

        // An unbound key says so; the numbers the tab bar shows are keys that switch to each pane.
        shell.handle(.char("y"))
        #expect(bed.session.notice?.text == "y does nothing here; ? lists the keys")
        shell.handle(.ctrl("l"))
        #expect(bed.session.notice == nil)
        for (digit, pane) in [("4", PaneID.company), ("2", .users), ("1", .contacts), ("3", .sales)] {
            shell.handle(.char(Character(digit)))
            #expect(shell.pane == pane)
            #expect(bed.session.notice == nil, "\(digit) was taken for an unbound key")
        }
        await bed.stop()
    }
}

@Suite(.serialized) @MainActor struct SupervisorShellTests {
    @Test func lockedSaleEditIsExplainedAndCompanyShows() async throws {
        let bed = try await DemoBed.start()
        let shell = try ShellTests().makeShell(bed)
        shell.start()
        shell.handle(.char(":"))
        for character in "sales" { shell.handle(.char(character)) }
        shell.handle(Key(.enter))
        await eventually("sales") { shell.sales.state == .loaded }
        shell.sales.setPageSize(100)
        await eventually("all sales") { shell.sales.state == .loaded && shell.sales.cursor.limit == 100 }
        let lockedIndex = try #require(shell.sales.visible.firstIndex { $0.lock })
        shell.sales.select(lockedIndex)
        shell.handle(.char("e"))
        #expect(shell.modal == nil)
        #expect(bed.session.lastError?.contains("locked") == true)
        var buffer = CellBuffer(size: Size(width: 100, height: 30))
        _ = shell.draw(&buffer)
        #expect(buffer.lines().contains { $0.contains("🔒 locked") })

        // The review: a bar's Enter lists that bar's sales, a seller's that seller's; Esc is back.
        shell.handle(.char("o"))
        let review = shell.services.salesReview
        await eventually("the review") { review.state == .loaded }
        for _ in 0..<3 { shell.handle(.char("p")) }
        #expect(review.period == .lastMonth)
        shell.handle(.char("h"))
        #expect(review.focus == .chart)
        let buckets = SalesReviewView.buckets(for: review.range, in: shell.context.bodyArea)
        let bar = try #require(review.selectedBar(in: buckets))
        shell.handle(Key(.enter))
        let drill = try #require(shell.sales.drill)
        #expect(drill.range == buckets.ranges[bar] && drill.seller == nil)
        #expect(shell.sales.visible.count == review.summary?.figures(in: drill.range).count)
        #expect(shell.pane(SalesPane.self)?.showOverview == false)
        shell.handle(Key(.escape))
        // A bar without sales says so for its days, not that the account has none.
        let quiet = DayRange(try #require(LocalDay("2020-02-03")), try #require(LocalDay("2020-02-03")))
        shell.sales.show(SalesDrill(range: quiet, seller: nil, sales: [], calendar: review.calendar))
        shell.pane(SalesPane.self)?.showOverview = false
        var empty = CellBuffer(size: Size(width: 100, height: 30))
        _ = shell.draw(&empty)
        #expect(empty.lines().contains { $0.hasPrefix(" No sales on Mon 3 Feb 2020") }, "\(empty.lines().prefix(5))")
        shell.handle(Key(.escape))
        #expect(shell.sales.drill == nil && shell.pane(SalesPane.self)?.showOverview == true, "Esc clears the filter, back to the review")
        shell.handle(.char("j"))
        let seller = try #require(review.selectedSeller)
        shell.handle(Key(.enter))
        #expect(shell.sales.drill?.seller == seller.name && shell.sales.visible.count == seller.figures.count)
        shell.handle(Key(.escape))
        // The mouse: a click on a seller's row selects it, a second one lists its sales; a bar likewise.
        let layout = SalesReviewView.Layout(shell.context.bodyArea)
        func click(_ x: Int, _ y: Int) { shell.handle(.mouse(MouseEvent(.press(.left), at: Point(x: x, y: y)))) }
        click(5, layout.sellers.y + 3)
        #expect(review.sellerSelection == 2 && review.focus == .sellers)
        let third = try #require(review.selectedSeller)
        click(5, layout.sellers.y + 3)
        #expect(shell.sales.drill?.seller == third.name)
        shell.handle(Key(.escape))
        let plot = SalesReviewView.plotArea(layout.chart)
        let column = try #require((plot.x..<plot.maxX).first { x in
            SalesReviewView.target(at: Point(x: x, y: plot.y + 1), review: review, area: shell.context.bodyArea) == .bar(0)
        })
        click(column, plot.y + 1)
        #expect(review.focus == .chart && review.selectedBar(in: buckets) == 0)
        shell.handle(Key(.escape))
        #expect(shell.pane(SalesPane.self)?.showOverview == false && shell.pane == .sales, "Esc closes the overview, back to the sales list")

        shell.handle(.char(":"))
        for character in "company" { shell.handle(.char(character)) }
        shell.handle(Key(.enter))
        await eventually("the group") { bed.session.group != nil }
        buffer = CellBuffer(size: Size(width: 100, height: 40))
        _ = shell.draw(&buffer)
        let lines = buffer.lines()
        for section in ["Archiving reasons", "Origins", "Visit results", "Additional data fields", "Status tags", "Descendant groups"] {
            #expect(lines.contains { $0.contains(section) }, "\(section)")
        }
        await bed.stop()
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
