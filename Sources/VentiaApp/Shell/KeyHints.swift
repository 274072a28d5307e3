import TerminalUI

/// Keys named in on-screen hints, read from the keymap in use: a rebound key is what the screen says.
struct KeyHints {
    let keymap: AppKeymap

    /// The first key bound to `action` in `context`, as help shows it; nil when unbound.
    func key(_ action: AppAction, in context: KeymapContext) -> String? {
        keymap.keys(for: action, in: context).first.map(KeyName.label)
    }

    /// "f status", or nil when the action has no key.
    func hint(_ action: AppAction, in context: KeymapContext, _ text: String) -> String? {
        key(action, in: context).map { "\($0) \(text)" }
    }
}
