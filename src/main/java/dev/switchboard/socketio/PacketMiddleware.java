package dev.switchboard.socketio;

/**
 * Runs on every incoming event of one socket before its handlers ({@code socket.use(...)}). A
 * failure stops the event and is reported to the socket's error listeners, like Node.
 */
@FunctionalInterface
public interface PacketMiddleware {
  void handle(String event, Args args, Next next);

  interface Next {
    void proceed();

    void fail(Exception error);
  }
}
