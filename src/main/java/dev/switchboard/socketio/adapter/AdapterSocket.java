package dev.switchboard.socketio.adapter;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * What an adapter needs of a connected socket: implemented by the Socket.IO {@code Socket}, whose
 * {@code deliver} and {@code expectAck} are therefore public, for adapters only (applications
 * use {@code emit}).
 */
public interface AdapterSocket {
  /** The socket id, which is also the name of its own room. */
  String id();

  /** Queues an already-encoded packet for this socket's client. Any thread. */
  void deliver(Outgoing packet, BroadcastFlags flags);

  /**
   * Registers the listener of the ack with {@code ackId} that this socket's client will send. Any
   * thread. If the socket has already disconnected, the listener hears so at once.
   */
  void expectAck(long ackId, AckListener listener);

  /**
   * Hears how one acknowledgement ends, for one socket: exactly one of the two methods is called,
   * once, on the socket's serial executor.
   */
  interface AckListener {
    /** The client answered with these arguments (a JSON array, socket.io-protocol §Acknowledgement). */
    void onAck(String socketId, ArrayNode args);

    /** The socket disconnected before answering: no answer will come. */
    void onDisconnect(String socketId);
  }
}
