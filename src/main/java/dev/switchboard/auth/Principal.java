package dev.switchboard.auth;

import dev.switchboard.socketio.Socket;

/**
 * Who a connected socket is: the user and the server-side session its token names. The handshake
 * middleware (JwtAuthMiddleware) puts it in {@code socket.data()} under {@link #DATA_KEY}
 * before the socket connects; applications read it with {@link #of}. It is the only source of a
 * socket's identity: nothing a client sends later can change it.
 */
public record Principal(String userId, String username, String sessionId) {
  public static final String DATA_KEY = "principal";

  /** The principal of an authenticated socket; IllegalStateException when there is none. */
  public static Principal of(Socket socket) {
    Object p = socket.data().get(DATA_KEY);
    if (p instanceof Principal principal) return principal;
    throw new IllegalStateException("socket " + socket.id() + " has no principal: is the auth middleware installed?");
  }
}
