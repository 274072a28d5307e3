/// Work asked for many times in a burst, done once after a pause: a page reload or a recount after
/// a bulk action's writes, not one per write.
@MainActor
final class CoalescedWork {
    private var scheduled = false

    /// Runs `work` `seconds` from the first ask since it last ran; later asks until then join it.
    func ask(after seconds: Double, on session: AppSession, _ work: @escaping @MainActor () -> Void) {
        guard !scheduled else { return }
        scheduled = true
        session.after(seconds) { [weak self] in
            self?.scheduled = false
            work()
        }
    }
}
