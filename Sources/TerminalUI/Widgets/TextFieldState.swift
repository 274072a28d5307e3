/// The text and caret of a single-line field. Editing works on graphemes, so an accent or an emoji
/// is one step of the caret.
public struct TextFieldState: Sendable, Equatable {
    public private(set) var characters: [Character]
    /// Caret position, in graphemes.
    public private(set) var cursor: Int
    /// First visible column's grapheme, for fields longer than their box.
    public var scroll = 0

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String {
        get { String(characters) }
        set {
            characters = Array(newValue)
            cursor = characters.count
        }
    }

    public var isEmpty: Bool { characters.isEmpty }

    /// Inserts text at the caret; newlines and controls become spaces (this is one line).
    public mutating func insert(_ text: String) {
        let clean = Array(TextSanitizer.clean(text))
        characters.insert(contentsOf: clean, at: cursor)
        cursor += clean.count
    }

    /// Applies an editing key. Returns false for keys a text field does not use.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        switch (key.code, key.modifiers) {
        case (.char(let character), []), (.char(let character), [.shift]):
            insert(String(character))
        case (.backspace, []), (.char("h"), [.ctrl]):
            if cursor > 0 {
                characters.remove(at: cursor - 1)
                cursor -= 1
            }
        case (.delete, []), (.char("d"), [.ctrl]):
            if cursor < characters.count { characters.remove(at: cursor) }
        case (.left, []), (.char("b"), [.ctrl]):
            cursor = max(0, cursor - 1)
        case (.right, []), (.char("f"), [.ctrl]):
            cursor = min(characters.count, cursor + 1)
        case (.home, []), (.char("a"), [.ctrl]):
            cursor = 0
        case (.end, []), (.char("e"), [.ctrl]):
            cursor = characters.count
        case (.left, [.ctrl]), (.char("b"), [.alt]):
            cursor = wordStart(before: cursor)
        case (.right, [.ctrl]), (.char("f"), [.alt]):
            cursor = wordEnd(after: cursor)
        case (.char("w"), [.ctrl]), (.backspace, [.alt]), (.backspace, [.ctrl]):
            let start = wordStart(before: cursor)
            characters.removeSubrange(start..<cursor)
            cursor = start
        case (.char("d"), [.alt]), (.delete, [.ctrl]):
            let end = wordEnd(after: cursor)
            characters.removeSubrange(cursor..<end)
        case (.char("u"), [.ctrl]):
            characters.removeSubrange(0..<cursor)
            cursor = 0
        case (.char("k"), [.ctrl]):
            characters.removeSubrange(cursor..<characters.count)
        default:
            return false
        }
        return true
    }

    private func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
    }

    func wordStart(before position: Int) -> Int {
        var index = position
        while index > 0 && !isWordCharacter(characters[index - 1]) { index -= 1 }
        while index > 0 && isWordCharacter(characters[index - 1]) { index -= 1 }
        return index
    }

    func wordEnd(after position: Int) -> Int {
        var index = position
        while index < characters.count && !isWordCharacter(characters[index]) { index += 1 }
        while index < characters.count && isWordCharacter(characters[index]) { index += 1 }
        return index
    }
}
