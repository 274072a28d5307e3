import Testing
@testable import TerminalUI

/// Themes restyle a frame drawn with the standard theme, role by role.
@Suite struct ThemeTests {
    func frame() -> CellBuffer {
        var buffer = CellBuffer(size: Size(width: 10, height: 1))
        let standard = Theme.standard
        _ = buffer.write("E", at: Point(x: 0, y: 0), style: standard.error)
        _ = buffer.write("R", at: Point(x: 1, y: 0), style: standard.error.with(.reverse))
        _ = buffer.write("d", at: Point(x: 2, y: 0), style: standard.dimText)
        _ = buffer.write("S", at: Point(x: 3, y: 0), style: standard.selection)
        _ = buffer.write("b", at: Point(x: 4, y: 0), style: standard.border)
        _ = buffer.write(".", at: Point(x: 5, y: 0), style: .plain)
        return buffer
    }

    @Test func eachRoleTakesItsThemesStyleAndDerivedStylesTheirColors() {
        var light = frame()
        Theme.light.restyle(&light)
        #expect(light[0, 0].style == Theme.light.error && light[0, 0].style.foreground == .indexed(160))
        #expect(light[1, 0].style.foreground == .indexed(160) && light[1, 0].style.attributes.contains(.reverse), "a derived style keeps its attributes")
        #expect(light[2, 0].style.foreground == .indexed(242) && light[4, 0].style.foreground == .indexed(246), "dim and border share a color in the standard theme, not here")
        #expect(light[3, 0].style.background == .blue)
        #expect(light[5, 0].style == .plain)

        var high = frame()
        Theme.highContrast.restyle(&high)
        #expect(!high[2, 0].style.attributes.contains(.dim) && high[2, 0].style.foreground == .ansi(15), "nothing is dimmed")

        var dark = frame()
        Theme.dark.restyle(&dark)
        #expect(dark == frame(), "the standard theme changes nothing")
    }
}
