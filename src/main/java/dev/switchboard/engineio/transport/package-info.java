/**
 * The two ways of carrying Engine.IO packets between client and session: HTTP long-polling and
 * WebSocket. A transport turns HTTP requests or WebSocket messages into decoded packets for its
 * session, and the session's packets into response bodies or frames; it decides nothing about the
 * session itself (heartbeat, upgrade, closing are the session's, in {@code engineio}).
 *
 * <ul>
 *   <li>{@link dev.switchboard.engineio.transport.Transport} — what a session asks of either one
 *       (send packets, close, whether it can send now), and
 *       {@link dev.switchboard.engineio.transport.TransportListener} — what it reports back:
 *       packets in wire order, errors, its end.
 *   <li>{@link dev.switchboard.engineio.transport.PollingTransport} — one held GET collects
 *       whatever is buffered as a payload; POST bodies are decoded into packets. Overlapping GETs
 *       or POSTs, binary content types and malformed payloads are refused with 400.
 *   <li>{@link dev.switchboard.engineio.transport.WebSocketTransport} — one packet per frame;
 *       frames of one packet handed to the connection in one piece.
 *   <li>{@link dev.switchboard.engineio.transport.ResponseDecorator} — server-wide headers (CORS)
 *       on every polling response.
 * </ul>
 *
 * <p>Threading: every {@code Transport} method and every listener call runs on the owning
 * session's serial executor; the net layer's notifications (an aborted GET, WebSocket messages)
 * are handed to that executor first. {@code WebSocketTransport.sendFrames} is the exception: the
 * session's direct send path may call it from any thread, so each call's frames go to the
 * connection in one piece.
 *
 * <p>Specs: {@code engine.io-protocol} README (revision 4) §Transports › HTTP long-polling
 * (request path, sending and receiving data), › WebSocket, and §Packet encoding for the two
 * body formats (the codec itself is {@code engineio.protocol}). Polling responses are
 * {@code text/plain; charset=UTF-8} with {@code Cache-Control: no-store} and {@code nosniff}, never
 * HTML ({@code spec-notes/hostile-inputs.md} group A).
 *
 * <p>Depends on: {@code http}, {@code websocket}, {@code net}, {@code engineio.protocol}.
 */
package dev.switchboard.engineio.transport;
