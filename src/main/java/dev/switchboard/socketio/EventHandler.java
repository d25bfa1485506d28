package dev.switchboard.socketio;

/**
 * Handles one named event. Runs on the socket's serial executor, in arrival order, never on an
 * I/O thread.
 */
@FunctionalInterface
public interface EventHandler {
  void handle(Args args, Ack ack);
}
