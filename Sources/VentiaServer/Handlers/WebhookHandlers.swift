import Foundation
import VentiaAPI

/// Webhook endpoints 25–28.
extension VentiaAPIService {
    func listWebhooks(_ call: Call) throws(APIFailure) -> JSONValue {
        let (page, limit) = try call.crmPage()
        return try store.read { state throws(APIFailure) in
            let (hooks, total) = try state.webhookPage(of: call.account, page: page, size: limit)
            return [
                "success": true, "result": .array(hooks.map { state.json($0) }),
                "paging": ["totalCount": .number(Double(total))],
            ]
        }
    }

    func getWebhook(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "id")
        return try store.read { state throws(APIFailure) in
            ["success": true, "result": state.json(try state.webhook(id, of: call.account))]
        }
    }

    func createWebhook(_ call: Call) throws(APIFailure) -> JSONValue {
        var body = try call.body()
        let active = body.bool("active", required: true)
        let name = body.string("name", required: true)
        let url = body.string("callbackUrl", required: true)
        let topics = body.strings("topics") ?? []
        checkWebhook(name: name, url: url, topics: topics, body: &body)
        try body.finish()
        return try store.write { state throws(APIFailure) in
            let hook = WebhookRecord(
                id: state.makeId(at: call.now), accountId: call.account.id, name: name ?? "", callbackUrl: url ?? "", topics: topics,
                active: active ?? true, createdAt: call.now)
            try state.save(hook)
            return ["success": true, "id": .string(hook.id)]
        }
    }

    func updateWebhook(_ call: Call) throws(APIFailure) -> JSONValue {
        let id = try call.objectId(at: 0, field: "id")
        var body = try call.body()
        let active = body.bool("active")
        let name = body.string("name")
        let url = body.string("callbackUrl")
        let topics = body.strings("topics")
        checkWebhook(name: name, url: url, topics: topics ?? [], body: &body)
        try body.finish()
        return try store.write { state throws(APIFailure) in
            var hook = try state.webhook(id, of: call.account)
            if let active { hook.active = active }
            if let name { hook.name = name }
            if let url { hook.callbackUrl = url }
            if let topics { hook.topics = topics }
            try state.save(hook)
            return ["success": true]
        }
    }

    func checkWebhook(name: String?, url: String?, topics: [String], body: inout RequestBody) {
        if let name, !(1...64).contains(name.count) { body.fail("name", "must be 1 to 64 characters") }
        if let url {
            let parsed = URL(string: url)
            let plainAllowed = allowsPlainHTTPWebhooks && url.lowercased().hasPrefix("http://")
            if !(url.lowercased().hasPrefix("https://") || plainAllowed) || parsed?.host == nil {
                body.fail("callbackUrl", "must be an https:// URL")
            }
        }
        for (index, topic) in topics.enumerated() where !WebhookTopic.all.contains(topic) {
            body.fail("topics[\(index)]", "must be one of \(WebhookTopic.all.joined(separator: ", "))")
        }
    }
}
