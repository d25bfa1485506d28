/**
 * The server side of the Socket.IO Admin UI ({@code @socket.io/admin-ui} 0.5.1), in the words of
 * {@code spec-notes/admin-ui.md}: the admin namespace's protocol, written on the public Socket.IO
 * API plus two hooks made for it ({@code SocketIoServer.onNewNamespace},
 * {@code InMemoryAdapter.membershipListener}).
 *
 * <ul>
 *   <li>{@link dev.switchboard.admin.AdminUi} — {@code instrument(io, options)}: authentication,
 *       the reports, the live feed, the actions.
 *   <li>{@link dev.switchboard.admin.AdminUiOptions} — who may connect and how much the UI is told.
 *   <li>{@link dev.switchboard.admin.AdminUiPage} — the UI's built bundle, served at {@code /admin/}.
 *   <li>{@code AdminSessions}, {@code EventCounts} (package-private) — the UI's session ids and
 *       the per-second counts of {@code server_stats}, both bounded.
 * </ul>
 *
 * <p>Depends on {@code socketio}, {@code engineio} (the session count), {@code net}/{@code http}
 * (the page) and {@code auth} (bcrypt on its bounded pool); nothing depends on it but {@code cli}.
 */
package dev.switchboard.admin;
