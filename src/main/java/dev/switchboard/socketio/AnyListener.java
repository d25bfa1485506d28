package dev.switchboard.socketio;

/** A catch-all listener ({@code socket.onAny} / {@code onAnyOutgoing}). */
@FunctionalInterface
public interface AnyListener {
  void on(String event, Args args);
}
