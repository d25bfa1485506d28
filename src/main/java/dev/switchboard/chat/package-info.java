/**
 * The chat application of {@code spec-notes/chat.md}: rooms, room and private messages, typing
 * indicators and presence, written against the public Socket.IO API like any user's application.
 *
 * <p>Entry point: {@link dev.switchboard.chat.ChatApplication}, installed on the main namespace
 * after the handshake middleware that puts a {@link dev.switchboard.auth.Principal} in every
 * socket's data. Everything else is package-private:
 *
 * <ul>
 *   <li>{@code ChatConnection} — one per socket: the event handlers, run on the socket's serial
 *       executor.
 *   <li>{@code Payload}, {@code RoomName}, {@code MessageText}, {@code JsWhitespace} — pure
 *       validation of what a client sends; every refusal is a {@code ChatRefusal} carrying the
 *       exact sentence of chat.md.
 *   <li>{@code TokenBucket} — the per-socket rate limits on the injected clock.
 *   <li>{@code Presence} — connections counted per user, thread-safe.
 *   <li>{@code ChatEvents} — the fixed schemas of what the server sends.
 * </ul>
 *
 * <p>Rules cited in this package, all from {@code spec-notes/chat.md}:
 *
 * <table>
 *   <caption>References</caption>
 *   <tr><td>chat.md §Identity</td><td>identity only from the Principal, never from a payload</td></tr>
 *   <tr><td>chat.md §Rooms</td><td>room names, the {@code room:} and {@code user:} prefixes,
 *       {@code general}, 20 rooms per socket</td></tr>
 *   <tr><td>chat.md §Client → server</td><td>payload and field checks, acks, the {@code error}
 *       event, message rules, rate limits</td></tr>
 *   <tr><td>chat.md §Server → client</td><td>event names, payload schemas, recipients,
 *       timestamps</td></tr>
 * </table>
 */
package dev.switchboard.chat;
