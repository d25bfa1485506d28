package dev.switchboard.socketio;

/**
 * A step of a namespace's handshake chain ({@code io.use(...)}, {@code namespace.use(...)}): it
 * sees the socket before it connects (handshake, auth payload, {@code data}) and answers with
 * {@link Next#proceed()} or {@link Next#fail}, now or later from any thread.
 *
 * <pre>{@code
 * io.use((socket, next) -> {
 *   if (socket.handshake().auth().path("token").asText().equals("s3cret")) next.proceed();
 *   else next.fail(new ConnectError("unauthorized", Map.of("code", "NO_TOKEN")));
 * });
 * }</pre>
 *
 * <p>The chain's rules (socket.io-protocol §Connection to a namespace): steps run in the order
 * they were added, on the socket's serial executor, one at a time; the list is copied when a
 * socket starts connecting. A step that throws refuses the socket with
 * {@code CONNECT_ERROR {"message":"Internal server error"}}. When the client goes away meanwhile,
 * the rest of the chain does not run. A dynamic namespace's children run the parent's steps first.
 */
@FunctionalInterface
public interface Middleware {
  /** Runs on the socket's serial executor; answers through {@code next} once. */
  void handle(Socket socket, Next next);

  /**
   * How a step answers. Only the first call counts: a second {@code proceed()}, or a
   * {@code fail} after {@code proceed()}, is ignored. Any thread.
   */
  interface Next {
    /** Accepted: the next step runs (on the socket's executor), or the socket connects. */
    void proceed();

    /**
     * Refused: the client gets {@code CONNECT_ERROR} with the error's message and data (null:
     * "unauthorized"), and the Engine.IO connection stays open for other namespaces.
     */
    void fail(ConnectError error);
  }
}
