import Foundation
import Testing
@testable import VentiaServer

/// Values SQLite has no type for, written to a column and read back unchanged.
@Suite struct ColumnCodingTests {
    @Test func listsOfStringsComeBackAsTheyWent() throws {
        let lists: [[String]] = [
            [], [""], ["+59899346003"], ["a,b", "c]d", "[e"], ["quote \" inside", "back\\slash", "\\\""], ["line\nbreak\ttab\u{1}\u{1F}"],
            ["王小明 😀", "Zoë", "e\u{301}"], ["", "", ""],
        ]
        for list in lists {
            #expect(try ColumnCoding.strings(ColumnCoding.column(list)) == list, "\(list)")
        }
        for broken in ["", "[", "[\"open", "x]", "[\"a\"b]", "[\"\\q\"]"] {
            #expect(throws: StoreCorruption.self, "\(broken)") { try ColumnCoding.strings(broken) }
        }
    }

    @Test func idsArePackedOnlyWhenTheyAre24HexDigits() {
        let id = "0123456789abcdef01234567"
        #expect(StoredId.packed(id)?.count == 12)
        #expect(StoredId.text(StoredId.packed(id) ?? []) == id)
        for other in ["", "0123456789ABCDEF01234567", "0123456789abcdef0123456", "0123456789abcdef012345678", "0123456789abcdeg01234567"] {
            #expect(StoredId.packed(other) == nil, "\(other)")
        }
    }
}
