package dev.switchboard.auth;

/**
 * Hears of session changes ({@link SessionSockets} uses it to reach live sockets). Called on the
 * thread that made the change (an HTTP worker, the bcrypt pool, the timer), outside the store's
 * lock; it must not block.
 */
public interface SessionListener {
  /** A refresh moved the session's expiry to {@code session.expiresAtMillis()}. */
  default void onRefreshed(Session session) { }

  /** The session is gone: its tokens are refused from now on. */
  void onEnded(Session session, SessionEnd reason);
}
