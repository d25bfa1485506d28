package dev.switchboard.socketio;

/** A catch-all listener ({@code socket.onAny} / {@code onAnyOutgoing}). */
@FunctionalInterface
public interface AnyListener {
  /** Runs for every event (incoming: on the socket's executor, before the handlers; outgoing: on the emitting thread). */
  void on(String event, Args args);
}
