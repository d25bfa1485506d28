package dev.switchboard.socketio;

/**
 * The answer to an event the client sent with an acknowledgement. Only the first
 * {@link #send} reaches the client (hostile-inputs.md#D91); when the client asked for no ack it
 * does nothing.
 *
 * <pre>{@code socket.on("echo", (args, ack) -> ack.send(args.get(0)));}</pre>
 */
public interface Ack {
  /** Sends the ACK packet with these arguments (once). */
  void send(Object... args);

  /** Whether the client asked for an acknowledgement. */
  boolean isRequested();

  /** The ack of an event sent without one: {@link #send} does nothing. */
  Ack NONE = new Ack() {
    @Override
    public void send(Object... args) { }

    @Override
    public boolean isRequested() {
      return false;
    }
  };
}
