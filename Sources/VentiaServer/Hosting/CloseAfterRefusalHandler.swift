import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes the connection once a response marked `Connection: close` has been written.
///
/// Hummingbird half-closes such a connection and waits for the client to close its side, while it
/// no longer reads: a client still sending a refused body (or one that writes its whole body before
/// reading) then holds the socket forever. Closing fully frees it.
final class CloseAfterRefusalHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var closeAfterEnd = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            closeAfterEnd = head.headerFields[.connection]?.lowercased() == "close"
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            guard closeAfterEnd else {
                context.write(data, promise: promise)
                return
            }
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            written.futureResult.cascade(to: promise)
            context.writeAndFlush(data, promise: written)
        }
    }
}

@available(*, unavailable)
extension CloseAfterRefusalHandler: Sendable {}
