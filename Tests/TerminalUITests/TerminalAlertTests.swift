import Testing
@testable import TerminalUI

/// The bytes a notice's alert writes: the bell, and the two desktop-notification escapes, with
/// nothing from the text able to end them early.
@Suite struct TerminalAlertTests {
    @Test func theBellAndTheDesktopNotificationAreTheBytesTerminalsRead() {
        #expect(TerminalAlert(bell: true, desktop: false).bytes(title: "ventia", text: "◷ Call Ana") == [0x07])
        #expect(TerminalAlert(bell: false, desktop: false).bytes(title: "ventia", text: "x").isEmpty)
        let desktop = String(decoding: TerminalAlert(bell: false, desktop: true).bytes(title: "ventia", text: "◷ Call Ana Pérez — reminder due now"), as: UTF8.self)
        #expect(desktop == "\u{1B}]9;◷ Call Ana Pérez — reminder due now\u{07}\u{1B}]777;notify;ventia;◷ Call Ana Pérez — reminder due now\u{07}")
        let both = TerminalAlert(bell: true, desktop: true).bytes(title: "ventia", text: "hola")
        #expect(both.last == 0x07 && both.filter { $0 == 0x07 }.count == 3)
    }

    @Test func aHostileTextCannotEndTheSequenceOrAddFields() {
        let text = String(decoding: TerminalAlert(bell: false, desktop: true).bytes(title: "ventia", text: "a\u{07}b\u{1B}]0;owned\u{07};c\nd"), as: UTF8.self)
        // Two sequences, each ended by the one BEL; no ESC but the two that start them.
        #expect(text.filter { $0 == "\u{07}" }.count == 2 && text.filter { $0 == "\u{1B}" }.count == 2)
        let body = text.components(separatedBy: "777;notify;ventia;").last ?? ""
        #expect(!body.dropLast().contains(";") && body.contains("owned"), "one field: the text, with nothing of it lost but controls")
        #expect(!text.contains("\n"))
    }
}
