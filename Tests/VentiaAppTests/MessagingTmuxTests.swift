import Foundation
import Testing
import TmuxTesting

/// The real `ventia` in demo mode, in tmux: an agent answers a contact on WhatsApp with a text and
/// a template and sees both in the timeline; an administrator creates a webhook in its pane.
@Suite(.serialized) struct MessagingTmuxTests {
    let tmux = TmuxSession(prefix: "ventia-messaging")
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("ventia-messaging-\(UUID().uuidString.prefix(8))")

    @Test func aTextAndATemplateOnWhatsAppThenAWebhook() throws {
        defer {
            tmux.stop()
            try? FileManager.default.removeItem(at: home)
        }
        let environment = TmuxSession.appEnvironment(home: home)
        try tmux.start("\(environment) \(TmuxSession.binary("ventia").path) --demo-contacts 80", width: 120, height: 40)
        _ = try tmux.expectScreen("contacts") { $0.contains("DEMO") && $0.contains("80 contacts") }
        // The newest contact wrote on WhatsApp within the day (the seeded data puts such ones on top).
        try tmux.keys("Enter")
        _ = try tmux.expectScreen("the timeline") { $0.contains("Timeline") && $0.contains("WhatsApp ←") }

        try tmux.keys("w")
        _ = try tmux.expectScreen("the types") { $0.contains("window open until") && $0.contains("Reply buttons") }
        try tmux.keys("Enter")
        _ = try tmux.expectScreen("the text form") { $0.contains("WhatsApp text to") }
        try tmux.text("Hola, ¿le sirve el jueves?")
        try tmux.keys("Enter")
        _ = try tmux.expectScreen("the text in the timeline") { $0.contains("WhatsApp → Hola, ¿le sirve el jueves?") && $0.contains("WhatsApp text sent") }

        try tmux.keys("w")
        _ = try tmux.expectScreen("the types") { $0.contains("Template (also outside") }
        try tmux.text("templ")
        try tmux.keys("Enter")
        _ = try tmux.expectScreen("the template form") { $0.contains("WhatsApp template to") }
        try tmux.text("saludo")
        try tmux.keys("Enter")
        _ = try tmux.expectScreen("the template in the timeline") { $0.contains("WhatsApp → Template saludo (es)") }

        try tmux.keys("q")
        try tmux.keys("5")
        _ = try tmux.expectScreen("the webhooks") { $0.contains("Callback URL") && $0.contains("CRM → ERP") }
        try tmux.keys("c")
        _ = try tmux.expectScreen("the webhook form") { $0.contains("New webhook") }
        try tmux.text("Receptor local")
        try tmux.keys("Tab")
        try tmux.text("http://127.0.0.1:9/hook")
        try tmux.keys("Enter")
        let shown = try tmux.expectScreen("the webhook") { $0.contains("Webhook Receptor local created") }
        #expect(shown.contains("http://127.0.0.1:9/hook"), "demo mode takes a receiver on this machine")
        try tmux.keys("C-c")
        _ = try tmux.expectScreen("exit") { $0.contains("EXITED-0") }
    }
}
