package dev.switchboard.socketio;

/**
 * Handles one named event. Runs on the socket's serial executor, in arrival order, never on an
 * I/O thread.
 */
@FunctionalInterface
public interface EventHandler {
  /** Handles one occurrence of the event; {@code ack} answers it if the client asked ({@link Ack#NONE} otherwise). */
  void handle(Args args, Ack ack);
}
