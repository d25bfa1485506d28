/**
 * Authentication, as ordinary routes and an ordinary Socket.IO middleware: users with bcrypt
 * password hashes, HS256 access tokens bound to revocable server-side sessions, a login limiter,
 * the {@code /auth/*} HTTP endpoints, and the handshake check that gives every socket its
 * {@link dev.switchboard.auth.Principal}. {@code spec-notes/authentication.md} tells the whole
 * story and its threat model; this package is what it describes.
 *
 * <ul>
 *   <li>{@link dev.switchboard.auth.Authenticator} — the flow in one place: sign-up, login
 *       (limiter then bcrypt), token → principal, logout, refresh. Built from a
 *       {@link dev.switchboard.auth.UserStore} ({@link dev.switchboard.auth.DatabaseUserStore}
 *       over {@code dev.switchboard.storage}, or {@link dev.switchboard.auth.FileUserStore}), a
 *       {@link dev.switchboard.auth.PasswordHasher}, a {@link dev.switchboard.auth.TokenService}
 *       and a {@link dev.switchboard.auth.SessionStore} (written through to the database's
 *       sessions, its map a cache), limits in {@link dev.switchboard.auth.AuthOptions}.
 *   <li>{@link dev.switchboard.auth.JwtAuthMiddleware} — the Socket.IO handshake middleware: the
 *       token from the CONNECT auth payload, never the URL; a refusal is {@code connect_error}
 *       with an {@link dev.switchboard.auth.AuthFailure} message and code.
 *   <li>{@link dev.switchboard.auth.SessionSockets} — a session's live sockets, so that logout,
 *       expiry and user removal reach them at once.
 *   <li>{@link dev.switchboard.auth.AuthHttpHandler} — {@code /auth/register}, {@code login},
 *       {@code logout}, {@code refresh}, {@code config}.
 *   <li>{@link dev.switchboard.auth.LoginThrottle}, {@link dev.switchboard.auth.Passwords},
 *       {@link dev.switchboard.auth.Usernames}, {@link dev.switchboard.auth.JwtSecret} — the
 *       rules: failures per address and per account, 72-byte passwords, canonical user names,
 *       a 256-bit key.
 * </ul>
 *
 * <pre>{@code
 * Authenticator auth = new Authenticator(users, hasher, tokens, sessions, options, clock, userIds);
 * SessionSockets live = new SessionSockets(auth, clock);
 * JwtAuthMiddleware.install(io.sockets(), auth, live);      // before the application's handlers
 * io.onConnection(socket -> Principal.of(socket).username());
 * }</pre>
 *
 * <p>Threading: {@code Authenticator}, the stores and the limiter are thread-safe. bcrypt runs on
 * the hasher's own small bounded pool, never on an I/O thread or on the workers that run sockets'
 * handlers (a burst of logins would stall everyone); a full pool answers 503. Token checks are a
 * few microseconds of HMAC and run on the caller — the HTTP worker, or the connecting socket's
 * serial executor for the middleware. Session timers run on the injected
 * {@link dev.switchboard.scheduling.Scheduler}; listeners are called outside locks.
 *
 * <p>Specs: RFC 7519 (JWT), RFC 8725 (JWT Best Current Practices: §3.1 algorithm pinning, §3.3
 * length before parsing, §3.5 key strength, §3.8–§3.9 issuer and audience), RFC 6750 (Bearer
 * tokens), RFC 6585 §4 (429) with RFC 9110 §10.2.3 (Retry-After), socket.io-protocol §CONNECT for
 * where the token travels.
 *
 * <p>Depends on: {@code scheduling}, {@code http} and {@code net} (the HTTP endpoints),
 * {@code engineio} (its random session-id generator), {@code socketio} (the public API, for the
 * middleware); nimbus-jose-jwt, jbcrypt and Jackson.
 */
package dev.switchboard.auth;
