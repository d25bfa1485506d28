package dev.switchboard.socketio.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Hears the answers to one broadcast with acknowledgement ({@link Adapter#broadcastWithAck}):
 * every client's answer, from this node and from the others, and each local target that
 * disconnected before answering. Also what a local socket reports one expected ack to
 * ({@link AdapterSocket#expectAck}).
 *
 * <p>Threading: a local socket calls it on its serial executor, exactly once per expected ack
 * (one of the two methods); answers from other nodes come on whatever thread their adapter hands
 * them to (never an I/O thread or a thread of a client library). Implementations are therefore
 * thread-safe.
 */
public interface AckSink {
  /**
   * A client answered with {@code args} (the ACK's arguments, a JSON array;
   * socket.io-protocol §Acknowledgement). {@code socketId} is the answering socket's id when it
   * is connected to this node, and null when the answer came from another node (the cluster
   * protocols carry no id — and, for Node's Redis adapters, only the first argument).
   */
  void onAck(String socketId, ArrayNode args);

  /**
   * A socket of this node that was sent the packet disconnected before answering: no answer will
   * come from it. (Nothing reports this for another node's clients; their answers are only ever
   * missing.)
   */
  void onDisconnect(String socketId);
}
