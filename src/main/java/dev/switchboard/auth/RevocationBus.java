package dev.switchboard.auth;

/**
 * Tells the other nodes of a cluster that a session changed, so that their caches of
 * {@link SessionStore} follow (spec-notes/authentication.md, "Sessions across nodes"): a session
 * ended (logout, pushed out by the per-user limit), all sessions of a user ended (removed), or a
 * session's expiry moved (refresh — otherwise another node would end the session's sockets at the
 * old expiry). The store calls it after the database write; a node receiving the news applies it
 * with {@link SessionStore#forget}, {@link SessionStore#forgetUser} and
 * {@link SessionStore#refreshedElsewhere}, which do not publish again.
 *
 * <p>{@link #LOCAL}, the default, tells no one: one node, or no Redis. The Redis implementation is
 * {@link RedisRevocationBus}, loaded only when {@code REDIS_URL} is set.
 *
 * <p>Threading: called on the thread that changed the session (an HTTP worker, the bcrypt pool,
 * the application clock's thread), after the store's lock is released; must not block.
 */
public interface RevocationBus {
  /** Tells no one. */
  RevocationBus LOCAL = new RevocationBus() {
    @Override
    public void sessionEnded(String sessionId, SessionEnd reason) { }

    @Override
    public void userRevoked(String userId) { }

    @Override
    public void sessionRefreshed(String sessionId, long expiresAtMillis) { }
  };

  /** {@code sessionId} ended for {@code reason}; its row is already revoked. */
  void sessionEnded(String sessionId, SessionEnd reason);

  /** Every session of {@code userId} ended (the user was removed). */
  void userRevoked(String userId);

  /** {@code sessionId} now expires at {@code expiresAtMillis} (a refresh). */
  void sessionRefreshed(String sessionId, long expiresAtMillis);
}
