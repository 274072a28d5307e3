import Foundation
import Observation
import VentiaAPI
import VentiaCore

/// The webhooks pane's list: the account's webhooks (every page, 100 a request, oldest first as
/// the server orders them) and the selected one.
@Observable
@MainActor
public final class WebhooksViewModel {
    public private(set) var webhooks: [Webhook] = []
    public private(set) var state = LoadState.idle
    public private(set) var selection = 0
    @ObservationIgnored private let session: AppSession
    @ObservationIgnored private var generation = 0

    public init(session: AppSession) { self.session = session }

    public var selectedWebhook: Webhook? { webhooks.indices.contains(selection) ? webhooks[selection] : nil }

    public func start() { if state == .idle { load() } }

    public func load() {
        generation += 1
        state = webhooks.isEmpty ? .loading : .refreshing
        loadPage(0, accumulated: [], generation: generation)
    }

    private func loadPage(_ page: Int, accumulated: [Webhook], generation: Int) {
        session.client.listWebhooks(page: page, limit: 100, on: MainQueue.answers, completion: MainQueue.deliver { [weak self] result in
            guard let self, self.generation == generation else { return }
            switch result {
            case .success(let list):
                let all = accumulated + list.webhooks.unseen(by: \.id, known: Set(accumulated.map(\.id)))
                if list.webhooks.count == 100 && all.count < list.totalCount && page < 50 {
                    return self.loadPage(page + 1, accumulated: all, generation: generation)
                }
                let selectedId = self.selectedWebhook?.id
                self.webhooks = all
                self.selection = selectedId.flatMap { id in all.firstIndex { $0.id == id } } ?? min(self.selection, max(0, all.count - 1))
                self.state = all.isEmpty ? .empty : .loaded
                self.session.succeeded(.webhooks)
            case .failure(let error):
                if error == .cancelled { return }
                self.state = self.webhooks.isEmpty ? .failed(error.description) : .loaded
                self.session.report(error, from: .webhooks)
            }
        })
    }

    public func select(_ index: Int) { selection = max(0, min(index, webhooks.count - 1)) }

    public func select(id: String) {
        if let index = webhooks.firstIndex(where: { $0.id == id }) { selection = index }
    }
}

/// The webhook form's fields and the contract's rules for them: a name of 1 to 64 characters, an
/// `https://` callback URL, topics from the two the API knows.
public enum WebhookFields {
    /// `allowingPlainHTTP`: demo mode, whose local server accepts a receiver on this machine.
    public static func fields(_ hook: Webhook?, allowingPlainHTTP: Bool = false) -> [WriteField] {
        [
            WriteField(.name, "Name", initial: hook?.name ?? "", check: name),
            WriteField(.callbackUrl, "Callback URL", initial: hook?.callbackUrl ?? "", hint: allowingPlainHTTP ? "https://… (demo: http:// too)" : "https://…",
                check: { callbackUrl($0, allowingPlainHTTP: allowingPlainHTTP) }),
            WriteField(.topics, "Topics", kind: .toggles(WebhookTopic.all), initial: (hook?.topics ?? WebhookTopic.all).joined(separator: ",")),
            WriteField(.active, "Active", kind: .choice(["yes", "no"]), initial: hook.map { $0.active ? "yes" : "no" } ?? "yes"),
        ]
    }

    public static func name(_ value: String) -> String? {
        (1...64).contains(value.trimmingCharacters(in: .whitespaces).count) ? nil : "must be 1 to 64 characters"
    }

    public static func callbackUrl(_ value: String, allowingPlainHTTP: Bool = false) -> String? {
        let text = value.trimmingCharacters(in: .whitespaces).lowercased()
        let scheme = text.hasPrefix("https://") || (allowingPlainHTTP && text.hasPrefix("http://"))
        return scheme && URL(string: text)?.host?.isEmpty == false ? nil : "must be an https:// URL"
    }

    public static func input(_ values: WriteValues) -> WebhookInput {
        WebhookInput(
            active: values[.active] != "no", name: values[.name].trimmingCharacters(in: .whitespaces),
            callbackUrl: values[.callbackUrl].trimmingCharacters(in: .whitespaces), topics: values.list(.topics))
    }

    /// Only what differs from `hook`: a PATCH that leaves the rest alone.
    public static func patch(_ input: WebhookInput, from hook: Webhook) -> WebhookPatch {
        var patch = WebhookPatch()
        if input.name != hook.name { patch.name = input.name }
        if input.callbackUrl != (hook.callbackUrl ?? "") { patch.callbackUrl = input.callbackUrl }
        if Set(input.topics) != Set(hook.topics) { patch.topics = input.topics }
        if input.active != hook.active { patch.active = input.active }
        return patch
    }

    /// Every rule of a whole input, as the server words them.
    public static func check(_ input: WebhookInput, allowingPlainHTTP: Bool = false) -> [FieldError] {
        var errors: [FieldError] = []
        if let problem = name(input.name) { errors.append(FieldError(field: "name", message: problem)) }
        if let problem = callbackUrl(input.callbackUrl, allowingPlainHTTP: allowingPlainHTTP) {
            errors.append(FieldError(field: "callbackUrl", message: problem))
        }
        for topic in input.topics where !WebhookTopic.all.contains(topic) {
            errors.append(FieldError(field: "topics", message: "must be one of \(WebhookTopic.all.joined(separator: ", "))"))
        }
        return errors
    }
}

extension WebhookPatch {
    public var isEmpty: Bool { active == nil && name == nil && callbackUrl == nil && topics == nil }
}
