import Testing
@testable import TerminalUI

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("a", 1), ("ñ", 1), ("e\u{301}", 1), ("漢", 2), ("한", 2), ("ｱ", 1), ("Ａ", 2), ("😀", 2), ("👍🏽", 2),
        ("👨‍👩‍👧", 2), ("🇺🇾", 2), ("❤️", 2), ("❤", 1), ("\u{200B}", 0), ("\u{301}", 0), ("€", 1), ("─", 1),
    ])
    func graphemeWidths(text: String, width: Int) {
        #expect(DisplayWidth.of(Character(text)) == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func stringWidths() {
        #expect(DisplayWidth.of("José Ñandú") == 10)
        #expect(DisplayWidth.of("王小明") == 6)
        #expect(DisplayWidth.of("Zoë 😀") == 6)
    }

    @Test func truncationNeverSplitsAGrapheme() {
        #expect(TextFit.truncate("Agustín Suárez", to: 8) == "Agustín…")
        #expect(TextFit.truncate("王小明王小明", to: 5) == "王小…")
        #expect(TextFit.truncate("王小明", to: 4, ellipsis: false) == "王小")
        #expect(TextFit.truncate("ab😀cd", to: 3, ellipsis: false) == "ab")
        #expect(TextFit.truncate("Cafe\u{301} y más", to: 5) == "Cafe\u{301}…")
        #expect(TextFit.truncate("short", to: 10) == "short")
        #expect(TextFit.truncate("x", to: 0) == "")
        #expect(TextFit.pad("王", to: 4, alignRight: true) == "  王")
    }

    @Test func wrapping() {
        #expect(TextFit.wrap("uno dos tres cuatro", to: 8) == ["uno dos", "tres", "cuatro"])
        #expect(TextFit.wrap("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
        #expect(TextFit.wrap("a\nb", to: 4) == ["a", "b"])
    }
}

@Suite struct SanitizerTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("clear\u{1B}[2Jscreen", "clear␛[2Jscreen"),
        ("title\u{1B}]0;pwned\u{07}", "title␛]0;pwned␇"),
        ("bell\u{07}", "bell␇"),
        ("line\nbreak\ttab\rret", "line break tab ret"),
        ("c1\u{9B}31m", "c1\u{FFFD}31m"),
        ("del\u{7F}", "del␡"),
        ("\u{202E}reversed\u{202C} and \u{2067}isolate\u{2069}", "reversed and isolate"),
        ("nul\u{0}", "nul␀"),
        ("José 😀 王", "José 😀 王"),
        ("👨‍👩‍👧 family", "👨‍👩‍👧 family"),
    ])
    func cleans(input: String, expected: String) {
        let output = TextSanitizer.clean(input)
        #expect(output == expected)
        #expect(!output.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
    }

    @Test func hostileTextCannotReachTheGrid() {
        var buffer = CellBuffer(size: Size(width: 30, height: 1))
        buffer.write("\u{1B}[31mred\u{1B}[0m\u{1B}[H", at: Point(x: 0, y: 0))
        #expect(buffer.text == "␛[31mred␛[0m␛[H")
        for x in 0..<30 {
            #expect(!buffer[x, 0].text.unicodeScalars.contains { $0.value == 0x1B })
        }
    }
}

@Suite struct CellBufferTests {
    @Test func clipsAndEllipsizes() {
        var buffer = CellBuffer(size: Size(width: 10, height: 2))
        let used = buffer.write("Agustín Suárez", at: Point(x: 2, y: 0), maxWidth: 6)
        #expect(used == 6)
        #expect(buffer.lines() == ["  Agust…", ""])
        buffer.write("overflowing the edge", at: Point(x: 5, y: 1))
        #expect(buffer.lines()[1] == "     over…")
    }

    @Test func wideCharacterIsNeverCutAtABorder() {
        var buffer = CellBuffer(size: Size(width: 5, height: 1))
        buffer.write("ab王小", at: Point(x: 0, y: 0), ellipsis: false)
        #expect(buffer.text == "ab王")
        #expect(buffer[3, 0].isContinuation)
        #expect(buffer[4, 0].text == " ")
        var boxed = CellBuffer(size: Size(width: 6, height: 1))
        boxed.write("|", at: Point(x: 0, y: 0))
        boxed.write("王小明", at: Point(x: 1, y: 0), maxWidth: 4)
        boxed.write("|", at: Point(x: 5, y: 0))
        #expect(boxed.text == "|王… |")
    }

    @Test func overwritingHalfAWideCharacterRepairsIt() {
        var buffer = CellBuffer(size: Size(width: 6, height: 1))
        buffer.write("王小明", at: Point(x: 0, y: 0))
        buffer.write("x", at: Point(x: 1, y: 0))
        #expect(buffer.text == " x小明")
        buffer.write("y", at: Point(x: 2, y: 0))
        #expect(buffer.text == " xy 明")
    }

    @Test func bordersAndTitles() {
        var buffer = CellBuffer(size: Size(width: 12, height: 3))
        buffer.drawBorder(buffer.bounds, title: "Título")
        #expect(buffer.lines() == ["┌ Título ──┐", "│          │", "└──────────┘"])
    }
}

@Suite struct TextFilterIndexTests {
    @Test func findsIgnoringCaseAndAccentsAndNarrowsIncrementally() {
        var index = TextFilterIndex(texts: ["Agustín Suárez", "SOFÍA PÉREZ", "王小明 北京市", "Zoë 😀"])
        #expect(index.filter("suarez") == [0])
        #expect(index.filter("PÉR") == [1])
        #expect(index.filter("ez") == [0, 1])
        #expect(index.filter("ez ") == [])
        #expect(index.filter("北京") == [2])
        #expect(index.filter("zoe") == [3])
        #expect(index.filter("") == [0, 1, 2, 3])
        index.append(contentsOf: ["Pérez otra vez"])
        #expect(index.filter("perez") == [1, 4])
        #expect(index.filter("perez o") == [4])
    }
}
