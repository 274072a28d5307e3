import TerminalUI
import VentiaAPI
import VentiaViewModels

/// The windows over the panes: keys for each kind, and the one way every form is sent and ends.
extension AppShell {
    func handle(_ key: Key, in modal: Modal) {
        switch modal {
        case .form(let form): handleForm(key, form)
        case .picker(let picker): handlePicker(key, picker)
        case .command(let field): handleCommand(key, field)
        case .confirm(let confirm): handleConfirm(key, confirm)
        case .bulk(let bulk): handleBulk(key, bulk)
        }
    }

    /// Confirm sends; then Esc stops what is unsent, Hide leaves it running; OK closes the outcome.
    func handleBulk(_ key: Key, _ bulk: BulkModal) {
        var bulk = bulk
        let cancelled = keys.action(for: key, in: [.global]) == .cancel
        if !bulk.started {
            guard let choice = cancelled ? 1 : bulk.dialog.handle(key) else {
                modal = .bulk(bulk)
                return
            }
            guard choice == 0 else {
                modal = nil
                session.show(Notice("Nothing was sent"), for: 4)
                return
            }
            bulk.started = true
            bulk.dialog.buttons = ["Hide", "Stop"]
            bulk.dialog.selected = 0
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
            return
        }
        if bulk.run.isFinished {
            if cancelled || key.code == .enter || bulk.dialog.handle(key) != nil { modal = nil }
            return
        }
        if cancelled {
            bulk.run.stop()
            modal = .bulk(bulk)
            return
        }
        switch bulk.dialog.handle(key) {
        case 0?: modal = nil
        case 1?: bulk.run.stop()
        default: break
        }
        if case .bulk = modal { modal = .bulk(bulk) }
    }

    func paste(_ text: String, into modal: Modal) {
        switch modal {
        case .form(var form):
            form.state.paste(text)
            form.update?(&form.state)
            self.modal = .form(form)
        case .picker(var picker):
            picker.state.query.insert(text)
            picker.state.refilter()
            self.modal = .picker(picker)
        case .command(var field):
            field.insert(text)
            self.modal = .command(field)
        case .confirm, .bulk:
            break
        }
    }

    /// Scrolls the help within its lines (here, so drawing only reads); any other key closes it.
    func handleHelp(_ key: Key) {
        let current = helpScroll ?? 0
        let delta: Int
        switch keys.action(for: key, in: [.list]) {
        case .moveDown: delta = 1
        case .moveUp: delta = -1
        case .pageDown: delta = 10
        case .pageUp: delta = -10
        default:
            helpScroll = nil
            return
        }
        helpScroll = max(0, min(current + delta, helpOverlay().maximumScroll(in: Rect(size: context.screenSize))))
    }

    func handleCommand(_ key: Key, _ field: TextFieldState) {
        var field = field
        switch key.code {
        case .enter:
            modal = nil
            run(field.text)
            return
        case .tab:
            field.text = commands.complete(field.text)
        default:
            if keys.action(for: key, in: [.global]) == .cancel || (key.code == .backspace && field.isEmpty) {
                modal = nil
                return
            }
            field.handle(key)
        }
        modal = .command(field)
    }

    func handlePicker(_ key: Key, _ picker: PickerModal) {
        var picker = picker
        switch keys.action(for: key, in: [.picker]) {
        case .cancel:
            modal = nil
        case .choose:
            guard let index = picker.state.selectedItem else { return }
            modal = nil
            picker.choose(item: index)
        default:
            _ = picker.state.handle(key)
            modal = .picker(picker)
        }
    }

    func handleForm(_ key: Key, _ form: FormModal) {
        var form = form
        guard !form.sending else { return }
        if form.state.focusIsMultiline, key.code == .enter || key.code == .up || key.code == .down {
            _ = form.state.handleEditing(key)
            modal = .form(form)
            return
        }
        switch keys.action(for: key, in: [.form]) {
        case .cancel:
            modal = nil
            return
        case .nextField: form.state.focusNext()
        case .previousField: form.state.focusPrevious()
        case .submit:
            guard form.state.validate() else {
                modal = .form(form)
                return
            }
            if let confirmation = form.confirmation {
                modal = .confirm(ConfirmModal(dialog: confirmation(form.state), form: form))
            } else {
                send(form)
            }
            return
        default:
            _ = form.state.handleEditing(key)
            form.update?(&form.state)
        }
        modal = .form(form)
    }

    func handleConfirm(_ key: Key, _ confirm: ConfirmModal) {
        var dialog = confirm.dialog
        let cancelled = keys.action(for: key, in: [.global]) == .cancel
        guard let choice = cancelled ? 1 : dialog.handle(key) else {
            modal = .confirm(ConfirmModal(dialog: dialog, form: confirm.form))
            return
        }
        if choice == 0 { send(confirm.form) } else { modal = .form(confirm.form) }
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
