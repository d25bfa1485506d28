package dev.switchboard.socketio.protocol;

/**
 * The decoding half of a {@link SocketIoParser}: turns the Engine.IO messages of one connection
 * into packets. One per connection; it may hold a partial packet between messages (the default
 * parser's binary attachments).
 *
 * <p>After a {@link SocketIoProtocolException} the decoder is corrupt and the caller closes the
 * connection; feeding it again before {@link #reset()} throws {@link IllegalStateException}.
 *
 * <p>Threading: not thread-safe; called from the connection's serial executor only.
 */
public interface PacketDecoder {
  /**
   * Decodes one text message.
   *
   * @return the packet, or null when more messages must follow
   * @throws SocketIoProtocolException the peer broke the protocol; close the connection
   */
  SocketIoPacket add(String text) throws SocketIoProtocolException;

  /**
   * Decodes one binary message. The array may be kept in the packet, not copied.
   *
   * @return the packet, or null when more messages must follow
   * @throws SocketIoProtocolException the peer broke the protocol; close the connection
   */
  SocketIoPacket add(byte[] message) throws SocketIoProtocolException;

  /** Drops any partial packet and makes the decoder usable again, e.g. when the connection closes. */
  void reset();
}
