/**
 * The Engine.IO v4 session layer: request checks and error codes, the handshake, the session
 * table, and one {@link dev.switchboard.engineio.EngineIoSession} per client with its transport,
 * heartbeat, upgrade from polling to WebSocket and write buffer. The packet codec is in
 * {@code engineio.protocol}, the two transports in {@code engineio.transport}; this package ties
 * them to sessions and time.
 *
 * <ul>
 *   <li>{@link dev.switchboard.engineio.EngineIoServer} — the {@code HttpHandler} on the Engine.IO
 *       path: checks every request (error codes 0–5), opens sessions, routes sid-bearing requests
 *       and upgrades to their session. {@link dev.switchboard.engineio.EngineIoHost} runs one on
 *       its own {@code NetServer}, worker pool and timer.
 *   <li>{@link dev.switchboard.engineio.EngineIoListener} (a new session),
 *       {@link dev.switchboard.engineio.EngineIoConnection} (what the layer above sees of a
 *       session: identity, handshake, executor, send, close) and
 *       {@link dev.switchboard.engineio.SessionHandler} (its messages and its end) — the narrow
 *       seam Socket.IO is built on, implemented in memory by the Socket.IO tests.
 *   <li>{@link dev.switchboard.engineio.CloseReason} — why a session ended, with Node's names.
 *   <li>{@link dev.switchboard.engineio.EngineIoOptions} — Node's defaults (pingInterval 25 s,
 *       pingTimeout 20 s, upgradeTimeout 10 s, maxHttpBufferSize 1 MB) and our caps.
 *   <li>{@link dev.switchboard.engineio.SharedMessage} — a broadcast's frames built once for every
 *       WebSocket session.
 *   <li>{@link dev.switchboard.engineio.RequestFilter}, {@link
 *       dev.switchboard.engineio.SessionIdGenerator}, {@link dev.switchboard.engineio.WorkerPool}
 *       — the {@code allowRequest} hook, sid generation, the worker threads.
 * </ul>
 *
 * <pre>{@code
 * EngineIoListener echo = session -> session.setHandler(new SessionHandler() {
 *   public void onMessage(String text) { session.send(text); }
 *   public void onBinary(byte[] data) { session.send(data); }
 *   public void onClose(CloseReason reason, String description) { }
 * });
 * try (EngineIoHost host = EngineIoHost.start(netOptions, eioOptions, echo, null, null)) { ... }
 * }</pre>
 *
 * <p>Threading ({@code spec-notes/threading.md}, "Serial executors"): {@code EngineIoServer}
 * checks and routes on the I/O thread that parsed the request and never blocks; everything a
 * session owns lives on its serial executor (requests, WebSocket messages, timer expiries and
 * sends from other threads all hop there), and {@link dev.switchboard.engineio.SessionHandler}
 * calls run there, one at a time. The one shortcut is the direct send of an open WebSocket
 * session, which hands frames to the connection from the sending thread without touching session
 * state.
 *
 * <p>Specs, cited as in {@code spec-notes/engine-io.md}: the {@code engine.io-protocol} README
 * (revision 4) §Transports (HTTP long-polling, WebSocket), §Protocol › Handshake, › Heartbeat,
 * › Upgrade, and engine.io's {@code Server.errors} for the HTTP error codes; Node's engine.io 6.6
 * where the README is silent. The hostile inputs of the session layer are
 * {@code spec-notes/hostile-inputs.md} group C, and the request checks group A.
 *
 * <p>Depends on: {@code scheduling}, {@code http}, {@code websocket}, {@code net},
 * {@code engineio.protocol}, {@code engineio.transport}.
 */
package dev.switchboard.engineio;
