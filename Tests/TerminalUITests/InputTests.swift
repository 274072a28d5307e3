import Testing
@testable import TerminalUI

@Suite struct KeyDecoderTests {
    static func decode(_ text: String) -> [TerminalEvent] {
        var decoder = KeyDecoder()
        return decoder.feed(Array(text.utf8)) + decoder.flushPendingEscape()
    }

    @Test(arguments: [
        ("a", Key.char("a")), ("Z", Key.char("Z")), ("ñ", Key.char("ñ")), ("漢", Key.char("漢")), ("😀", Key.char("😀")),
        ("\r", Key(.enter)), ("\t", Key(.tab)), ("\u{7F}", Key(.backspace)), ("\u{1B}", Key(.escape)),
        ("\u{03}", Key.ctrl("c")), ("\u{12}", Key.ctrl("r")), ("\u{1B}[A", Key(.up)), ("\u{1B}[B", Key(.down)),
        ("\u{1B}[C", Key(.right)), ("\u{1B}[D", Key(.left)), ("\u{1B}OA", Key(.up)), ("\u{1B}[H", Key(.home)),
        ("\u{1B}[F", Key(.end)), ("\u{1B}[1~", Key(.home)), ("\u{1B}[4~", Key(.end)), ("\u{1B}[5~", Key(.pageUp)),
        ("\u{1B}[6~", Key(.pageDown)), ("\u{1B}[3~", Key(.delete)), ("\u{1B}[2~", Key(.insert)), ("\u{1B}[Z", Key(.tab, .shift)),
        ("\u{1B}OP", Key(.function(1))), ("\u{1B}[15~", Key(.function(5))), ("\u{1B}[24~", Key(.function(12))),
        ("\u{1B}[1;5C", Key(.right, .ctrl)), ("\u{1B}[1;3D", Key(.left, .alt)), ("\u{1B}[1;2A", Key(.up, .shift)),
        ("\u{1B}[3;5~", Key(.delete, .ctrl)), ("\u{1B}x", Key.alt("x")), ("\u{1B}\u{7F}", Key(.backspace, .alt)),
        ("\u{1B}\u{06}", Key(.char("f"), [.ctrl, .alt])),
    ])
    func decodesOneKey(bytes: String, key: Key) {
        #expect(Self.decode(bytes) == [.key(key)])
    }

    /// SGR mouse reports (mode 1006): columns and rows from 1 on the wire, from 0 here.
    @Test func decodesMouseReports() {
        #expect(Self.decode("\u{1B}[<0;10;5M") == [.mouse(MouseEvent(.press(.left), at: Point(x: 9, y: 4)))])
        #expect(Self.decode("\u{1B}[<0;10;5m") == [.mouse(MouseEvent(.release, at: Point(x: 9, y: 4)))])
        #expect(Self.decode("\u{1B}[<2;1;1M") == [.mouse(MouseEvent(.press(.right), at: Point(x: 0, y: 0)))])
        #expect(Self.decode("\u{1B}[<64;3;7M") == [.mouse(MouseEvent(.wheelUp, at: Point(x: 2, y: 6)))])
        #expect(Self.decode("\u{1B}[<65;3;7M") == [.mouse(MouseEvent(.wheelDown, at: Point(x: 2, y: 6)))])
        #expect(Self.decode("\u{1B}[<32;4;4M") == [.mouse(MouseEvent(.drag(.left), at: Point(x: 3, y: 3)))])
        #expect(Self.decode("\u{1B}[<20;300;90M") == [.mouse(MouseEvent(.press(.left), at: Point(x: 299, y: 89), modifiers: [.shift, .ctrl]))],
                "columns past 223, which the old X10 form cannot say")
        // Nonsense is swallowed, never typed as text; what follows is still read.
        #expect(Self.decode("\u{1B}[<0;0;5Mx\u{1B}[<66;1;1M\u{1B}[<0;;1My") == [.key(.char("x")), .key(.char("y"))])
        var decoder = KeyDecoder()
        #expect(decoder.feed(Array("\u{1B}[<0;1".utf8)).isEmpty && decoder.hasPendingInput, "a report split across reads waits")
        #expect(decoder.feed(Array("2;3M".utf8)) == [.mouse(MouseEvent(.press(.left), at: Point(x: 11, y: 2)))])
    }

    @Test func tabsAndTableRowsAreFoundUnderAClick() {
        let tabs = TabBar(titles: ["Contacts", "Users"], keys: ["1", "2"], active: 0)
        let area = Rect(x: 0, y: 0, width: 40, height: 1)
        #expect(tabs.tab(atColumn: 0, in: area) == 0 && tabs.tab(atColumn: 11, in: area) == 0)
        #expect(tabs.tab(atColumn: 12, in: area) == 1 && tabs.tab(atColumn: 20, in: area) == 1 && tabs.tab(atColumn: 21, in: area) == nil)
        let table = TableState(selected: 0, offset: 30)
        let list = Rect(x: 0, y: 1, width: 40, height: 10)
        #expect(table.row(atLine: 1, in: list, rowCount: 100) == nil, "the header")
        #expect(table.row(atLine: 2, in: list, rowCount: 100) == 30 && table.row(atLine: 10, in: list, rowCount: 100) == 38)
        #expect(table.row(atLine: 11, in: list, rowCount: 100) == nil && table.row(atLine: 5, in: list, rowCount: 32) == nil)
    }

    @Test func decodesRunsAndSplitSequences() {
        var decoder = KeyDecoder()
        #expect(decoder.feed(Array("jk\u{1B}[".utf8)) == [.key(.char("j")), .key(.char("k"))])
        #expect(decoder.hasPendingInput)
        #expect(decoder.feed(Array("B".utf8)) == [.key(Key(.down))])
        let bytes = Array("ñ".utf8)
        #expect(decoder.feed([bytes[0]]).isEmpty)
        #expect(decoder.feed([bytes[1]]) == [.key(.char("ñ"))])
    }

    @Test func loneEscapeWaitsForTheTimer() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B]).isEmpty)
        #expect(decoder.flushPendingEscape() == [.key(Key(.escape))])
        #expect(!decoder.hasPendingInput)
    }

    @Test func bracketedPasteArrivesWhole() {
        var decoder = KeyDecoder()
        let events = decoder.feed(Array("x\u{1B}[200~línea 1\nlínea 2\u{1B}[A\u{1B}[201~y".utf8))
        #expect(events == [.key(.char("x")), .paste("línea 1\nlínea 2\u{1B}[A"), .key(.char("y"))])
        var split = KeyDecoder()
        #expect(split.feed(Array("\u{1B}[200~abc\u{1B}[20".utf8)).isEmpty)
        #expect(split.feed(Array("1~".utf8)) == [.paste("abc")])
    }

    @Test func unknownSequencesAndBadBytesNeverTypeText() {
        #expect(Self.decode("\u{1B}[99x") == [])
        #expect(Self.decode("\u{FF}a".unicodeScalars.map { String($0) }.joined()) != [])
        var decoder = KeyDecoder()
        #expect(decoder.feed([0xFF, 0x61]) == [.key(.char("\u{FFFD}")), .key(.char("a"))])
    }
}

@Suite struct KeyNameTests {
    @Test(arguments: ["j", "G", "?", ":", "/", "ctrl-c", "alt-x", "shift-tab", "enter", "esc", "space", "f5", "pgdn", "ctrl-alt-up", "alt-<"])
    func roundTrips(name: String) throws {
        let key = try #require(KeyName.parse(name))
        #expect(KeyName.parse(key.description) == key)
    }

    @Test func spellings() {
        #expect(KeyName.parse("C-x") == Key.ctrl("x"))
        #expect(KeyName.parse("ctrl-R") == Key.ctrl("r"))
        #expect(KeyName.parse("Return") == Key(.enter))
        #expect(KeyName.parse("banana") == nil)
        #expect(KeyName.parse("hyper-x") == nil)
        #expect(KeyName.parse("f99") == nil)
        #expect(KeyName.label(Key(.down)) == "↓")
        #expect(KeyName.label(.ctrl("c")) == "C-c")
    }
}

@Suite struct TextFieldStateTests {
    @Test func editsByGraphemeAndWord() {
        var field = TextFieldState("Agustín Suárez")
        let deleted = field.handle(.ctrl("w"))
        #expect(deleted)
        #expect(field.text == "Agustín ")
        field.handle(Key(.backspace))
        field.handle(Key(.left))
        field.handle(Key(.left))
        field.handle(.char("😀"))
        #expect(field.text == "Agust😀ín")
        field.handle(.ctrl("a"))
        field.handle(.ctrl("k"))
        #expect(field.text == "")
        field.insert("línea\nnueva\u{1B}[2J")
        #expect(field.text == "línea nueva␛[2J")
        field.handle(Key(.left, .ctrl))
        #expect(field.cursor == 13)
        field.handle(.ctrl("u"))
        #expect(field.text == "2J")
        let used = field.handle(Key(.function(3)))
        #expect(!used)
    }

    @Test func textAreaKeepsLines() {
        var area = TextAreaState("uno")
        area.handle(Key(.enter))
        area.insert("dos\ntres")
        #expect(area.text == "uno\ndos\ntres")
        area.handle(Key(.up))
        area.handle(Key(.end))
        area.handle(Key(.delete))
        #expect(area.text == "uno\ndostres")
        area.handle(Key(.home))
        area.handle(Key(.backspace))
        #expect(area.text == "unodostres")
        #expect(!TextAreaState("a").isBlank && TextAreaState(" \n ").isBlank)
    }
}

@Suite struct FuzzyMatcherTests {
    @Test func matchesInOrderIgnoringCaseAndAccents() throws {
        let match = try #require(FuzzyMatcher.match("agsu", in: "Agustín Suárez"))
        #expect(match.positions == [0, 1, 3, 9])
        #expect(FuzzyMatcher.match("martin", in: "Martín Olivera") != nil)
        #expect(FuzzyMatcher.match("zz", in: "Agustín") == nil)
        let tight = try #require(FuzzyMatcher.match("luc", in: "Lucía Fernández"))
        let loose = try #require(FuzzyMatcher.match("luc", in: "Larrañaga Uriarte Castro"))
        #expect(tight.score > loose.score)
    }

    @Test func pickerFiltersAndSelects() {
        var picker = PickerState(title: "Agente", items: ["Lucía Fernández", "Martín Olivera", "Valentina Sosa"])
        #expect(picker.results.count == 3)
        _ = picker.handle(.char("o"))
        _ = picker.handle(.char("l"))
        #expect(picker.results.map(\.index) == [1])
        #expect(picker.selectedItem == 1)
        _ = picker.handle(Key(.backspace))
        _ = picker.handle(Key(.down))
        #expect(picker.selectedItem != nil)
    }
}

@Suite @MainActor struct TerminalLoopTests {
    @Test func eventsEndInAFrameOnTheTextBackend() {
        let backend = TextBackend(size: Size(width: 20, height: 2))
        let loop = TerminalLoop(backend: backend)
        let typed = Box("")
        loop.render = { buffer in
            buffer.write("typed: \(typed.value)", at: Point(x: 0, y: 0))
            return Point(x: 7 + typed.value.count, y: 0)
        }
        loop.onEvent = { event in
            if case .key(let key) = event, let character = key.text { typed.value.append(character) }
            if case .paste(let text) = event { typed.value += text }
        }
        loop.renderNow()
        #expect(backend.lines == ["typed:", ""])
        loop.deliver([.key(.char("h")), .key(.char("í")), .paste("!")])
        loop.renderNow()
        #expect(backend.lines[0] == "typed: hí!")
        #expect(backend.cursor == Point(x: 10, y: 0))
        #expect(backend.presentCount == 2)
    }
}
