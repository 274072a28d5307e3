import Dispatch
import Foundation

/// Runs a full-screen program: stdin and signals arrive as dispatch sources on the main queue (no
/// polling, so an idle program uses no CPU); every event and every `setNeedsRender()` ends in one
/// render of the whole frame, coalesced per main-queue turn.
@MainActor
public final class TerminalLoop {
    public let backend: any TerminalBackend
    /// Draws a frame; returns where the caret should show, if anywhere.
    public var render: (inout CellBuffer) -> Point? = { _ in nil }
    /// Handles one event; rendering follows.
    public var onEvent: (TerminalEvent) -> Void = { _ in }
    /// Called on SIGWINCH before the re-render; the ncurses backend re-reads its size here.
    public var onResize: () -> Void = {}

    /// How long a lone ESC waits for the rest of a sequence.
    public static let escapeDelay: DispatchTimeInterval = .milliseconds(25)

    private var decoder = KeyDecoder()
    private var sources: [any DispatchSourceProtocol] = []
    private var input: (any DispatchSourceRead)?
    private var inputPaused = false
    private var renderScheduled = false
    private var escapeGeneration = 0
    public private(set) var renderCount = 0

    public init(backend: any TerminalBackend) {
        self.backend = backend
    }

    /// Starts listening on stdin and for SIGWINCH, and draws the first frame. Terminating signals
    /// are the backend's: it restores the terminal and ends the process.
    public func start() {
        let input = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: .main)
        input.setEventHandler { [weak self] in
            MainActor.assumeIsolated { self?.readInput() }
        }
        input.resume()
        sources.append(input)
        self.input = input
        signal(SIGWINCH, SIG_IGN)
        let resize = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .main)
        resize.setEventHandler { [weak self] in
            MainActor.assumeIsolated { self?.handleResize() }
        }
        resize.resume()
        sources.append(resize)
        renderNow()
    }

    /// Stops reading keys while another program owns the terminal.
    public func pauseInput() {
        guard !inputPaused, let input else { return }
        inputPaused = true
        input.suspend()
    }

    public func resumeInput() {
        guard inputPaused, let input else { return }
        inputPaused = false
        decoder = KeyDecoder()
        input.resume()
    }

    public func stop() {
        resumeInput()
        sources.forEach { $0.cancel() }
        sources.removeAll()
    }

    /// Asks for a render on the next main-queue turn; several asks make one render.
    public func setNeedsRender() {
        guard !renderScheduled else { return }
        renderScheduled = true
        DispatchQueue.main.async { [weak self] in
            MainActor.assumeIsolated {
                guard let self else { return }
                self.renderScheduled = false
                self.renderNow()
            }
        }
    }

    /// Called after each frame reached the terminal (latency tracing hooks in here).
    public var onPresented: (() -> Void)?

    public func renderNow() {
        var buffer = CellBuffer(size: backend.size)
        let cursor = render(&buffer)
        backend.present(buffer, cursor: cursor)
        renderCount += 1
        onPresented?()
    }

    /// Feeds events as if typed: for tests and scripted demos.
    public func deliver(_ events: [TerminalEvent]) {
        for event in events { onEvent(event) }
        setNeedsRender()
    }

    private func readInput() {
        var bytes = [UInt8](repeating: 0, count: 4096)
        let count = read(STDIN_FILENO, &bytes, bytes.count)
        if count <= 0 {
            if count == 0 || (errno != EAGAIN && errno != EINTR) { deliver([.terminate]) }
            return
        }
        deliver(decoder.feed(bytes[0..<count]))
        if decoder.hasPendingInput {
            escapeGeneration += 1
            let generation = escapeGeneration
            DispatchQueue.main.asyncAfter(deadline: .now() + Self.escapeDelay) { [weak self] in
                MainActor.assumeIsolated {
                    guard let self, self.escapeGeneration == generation else { return }
                    self.deliver(self.decoder.flushPendingEscape())
                }
            }
        }
    }

    private func handleResize() {
        onResize()
        deliver([.resize(backend.size)])
    }
}
