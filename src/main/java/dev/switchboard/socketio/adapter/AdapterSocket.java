package dev.switchboard.socketio.adapter;


/** What the adapter needs of a connected socket. Implemented by the Socket.IO {@code Socket}. */
public interface AdapterSocket {
  String id();

  /** Queues an already-encoded packet for this socket's client. Any thread. */
  void deliver(Outgoing packet, BroadcastFlags flags);

  /** Registers the handler of the ack with {@code ackId} that this socket's client will send. */
  void expectAck(long ackId, AckListener listener);

  /** Receives one client's answer to a broadcast with ack. */
  @FunctionalInterface
  interface AckListener {
    void onAck(String socketId, com.fasterxml.jackson.databind.JsonNode args);
  }
}
