import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The windows over the panes: keys for each kind, and the one way every form is sent and ends.
extension AppShell {
    func handle(_ key: Key, in modal: Modal) {
        apply(modal.window.handle(key, in: WindowContext(keys: keys, commands: commands)))
    }

    /// Carries out what a window asked for after a key.
    func apply(_ step: WindowStep) {
        switch step {
        case .keep(let window):
            modal = window
        case .close(let notice):
            modal = nil
            if let notice { session.show(notice, for: 4) }
        case .closeThen(let then):
            modal = nil
            then()
        case .send(let form):
            send(form)
        case .run(let line):
            modal = nil
            run(line)
        case .startBulk(let bulk):
            let run = bulk.run
            run.onFinished = { [weak self] in
                guard let self else { return }
                // Hidden meanwhile: the outcome comes as a notice.
                if case .bulk(let shown)? = self.modal, shown.run === run { return }
                let failed = run.failedCount
                self.session.show(Notice("\(run.title): \(run.progressText)" + (failed > 0 ? " (:outbox lists the refused)" : ""), kind: failed > 0 ? .warning : .success), for: 8)
            }
            modal = .bulk(bulk)
            bulk.onStart()
            run.start()
        }
    }

    func paste(_ text: String, into modal: Modal) {
        if let pasted = modal.window.pasting(text) { self.modal = pasted }
    }

    /// Scrolls or narrows the help (here, so drawing only reads); Esc or Enter closes it.
    func handleHelp(_ key: Key) {
        help = help?.handling(key) { self.helpOverlay(filter: $0.filter).maximumScroll(in: Rect(size: context.screenSize)) }
    }

    /// Shows the form as sending and sends it; its answer closes it or puts the errors under its fields.
    func send(_ form: FormModal) {
        var form = form
        form.sending = true
        form.state.message = nil
        modal = .form(form)
        form.send(form.state) { [weak self] outcome in self?.finish(outcome) }
    }

    func finish(_ outcome: FormOutcome) {
        guard case .form(var form) = modal else {
            // The window was closed meanwhile: the outcome still shows.
            switch outcome {
            case .done(let notice): session.show(notice, for: 6)
            case .failed(let error): session.report(error)
            }
            return
        }
        switch outcome {
        case .done(let notice):
            modal = nil
            session.show(notice, for: 6)
        case .failed(let error):
            form.sending = false
            form.state.apply(errors: WriteErrors.byField(error), message: error.fieldErrors.isEmpty ? error.description : nil)
            modal = .form(form)
            if error.fieldErrors.isEmpty { session.report(error) }
        }
    }
}
