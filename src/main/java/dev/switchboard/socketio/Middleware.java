package dev.switchboard.socketio;

/**
 * A step of a namespace's handshake chain ({@code namespace.use(...)}): it sees the socket
 * before it connects (handshake, auth payload, {@code data}) and calls exactly one of
 * {@link Next#proceed()} or {@link Next#fail}, now or later from any thread.
 *
 * <pre>{@code
 * io.use((socket, next) -> {
 *   if (socket.handshake().auth().path("token").asText().equals("s3cret")) next.proceed();
 *   else next.fail(new ConnectError("unauthorized", Map.of("code", "NO_TOKEN")));
 * });
 * }</pre>
 */
@FunctionalInterface
public interface Middleware {
  void handle(Socket socket, Next next);

  /** Continuation of a middleware chain. Only the first call counts. */
  interface Next {
    void proceed();

    void fail(ConnectError error);
  }
}
