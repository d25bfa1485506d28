package dev.switchboard.socketio.adapter;

/** What the adapter needs of its namespace. */
public interface AdapterNamespace {
  String name();

  /** The connected socket with this id, or null. */
  AdapterSocket socket(String id);

  /** Next id from the namespace-wide ack counter (shared with per-socket acks, as in Node). */
  long nextAckId();
}
