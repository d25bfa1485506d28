/**
 * The Engine.IO protocol v4 codec: strings and bytes in, {@link
 * dev.switchboard.engineio.protocol.EngineIoPacket}s out, and back. Nothing here sees a socket, a
 * thread, a clock or a session; the transports and the session layer build on it.
 *
 * <p>Comments cite the official specification, {@code socketio/engine.io-protocol} README (v4), by
 * section title. Section anchors:
 *
 * <table>
 *   <caption>engine.io-protocol sections</caption>
 *   <tr><th>Cited as</th><th>Anchor</th></tr>
 *   <tr><td>§Query parameters</td><td>https://github.com/socketio/engine.io-protocol#query-parameters</td></tr>
 *   <tr><td>§Protocol</td><td>https://github.com/socketio/engine.io-protocol#protocol</td></tr>
 *   <tr><td>§Handshake</td><td>https://github.com/socketio/engine.io-protocol#handshake</td></tr>
 *   <tr><td>§Heartbeat</td><td>https://github.com/socketio/engine.io-protocol#heartbeat</td></tr>
 *   <tr><td>§Upgrade</td><td>https://github.com/socketio/engine.io-protocol#upgrade</td></tr>
 *   <tr><td>§Packet encoding</td><td>https://github.com/socketio/engine.io-protocol#packet-encoding</td></tr>
 *   <tr><td>§Packet encoding › HTTP long-polling</td><td>https://github.com/socketio/engine.io-protocol#http-long-polling-1</td></tr>
 *   <tr><td>§Packet encoding › WebSocket</td><td>https://github.com/socketio/engine.io-protocol#websocket-1</td></tr>
 *   <tr><td>§From v3 to v4</td><td>https://github.com/socketio/engine.io-protocol#from-v3-to-v4</td></tr>
 * </table>
 *
 * <p>Where the README is silent, the behaviour of the Node reference parser ({@code
 * engine.io-parser} 5.x, {@code decodePacket}/{@code decodePayload}) is cited as "engine.io-parser",
 * and the server ({@code engine.io} 6.x) as "engine.io".
 */
package dev.switchboard.engineio.protocol;
