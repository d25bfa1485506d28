package dev.switchboard.socketio.adapter;

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
   * Registers who hears the ack with {@code ackId} that this socket's client will send: exactly
   * one of {@link AckSink#onAck} or {@link AckSink#onDisconnect}, once, on the socket's serial
   * executor. Any thread. If the socket has already disconnected, the sink hears so at once.
   */
  void expectAck(long ackId, AckSink sink);
}
