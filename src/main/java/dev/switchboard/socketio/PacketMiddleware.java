package dev.switchboard.socketio;

/**
 * Runs on every incoming event of one socket before its handlers ({@code socket.use(...)}, Node's
 * per-packet middleware), and answers with {@link Next#proceed()} or {@link Next#fail}, now or
 * later from any thread.
 *
 * <pre>{@code
 * socket.use((event, args, next) -> {
 *   if (event.startsWith("admin:") && !isAdmin(socket)) next.fail(new SecurityException("forbidden"));
 *   else next.proceed();
 * });
 * socket.onError(err -> socket.emit("refused", err.getMessage()));
 * }</pre>
 *
 * <p>The chain's rules: steps run in the order they were added, on the socket's serial executor,
 * one at a time; the list is copied when an event arrives. A failure — {@code fail(error)}, or
 * an exception the step throws — stops the event (no {@code onAny} listener or handler sees it)
 * and is reported to the socket's {@code onError} listeners. Once the socket has disconnected the
 * rest of the chain does not run.
 */
@FunctionalInterface
public interface PacketMiddleware {
  /** Runs on the socket's serial executor; answers through {@code next} once. */
  void handle(String event, Args args, Next next);

  /**
   * How a step answers. Only the first call counts: a second {@code proceed()}, or a
   * {@code fail} after {@code proceed()}, is ignored. Any thread.
   */
  interface Next {
    /** Accepted: the next step runs (on the socket's executor), or the event is dispatched. */
    void proceed();

    /** Refused: the event is dropped and {@code error} goes to the socket's error listeners. */
    void fail(Exception error);
  }
}
