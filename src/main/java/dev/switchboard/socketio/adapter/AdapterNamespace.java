package dev.switchboard.socketio.adapter;

/**
 * What an adapter sees of its namespace: a view the server hands to the {@link AdapterFactory}
 * (the namespace's own API is the application's). Any thread.
 */
public interface AdapterNamespace {
  /** The namespace's name, e.g. {@code "/"} or {@code "/admin"}. */
  String name();

  /** The connected socket with this id, or null. */
  AdapterSocket socket(String id);

  /** Next id from the namespace-wide ack counter (shared with per-socket acks, as in Node). */
  long nextAckId();
}
