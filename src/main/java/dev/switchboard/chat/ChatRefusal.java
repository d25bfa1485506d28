package dev.switchboard.chat;

/**
 * A client's chat event was refused; the message is the exact sentence of chat.md that the client
 * receives in its error ack and {@code error} event. It is a peer error, not a bug, so it carries
 * no stack trace.
 */
final class ChatRefusal extends Exception {
  static final String NOT_JOINED = "You have not joined this room";
  static final String TOO_MANY_ROOMS = "Too many rooms";
  static final String NOT_ONLINE = "User is not online";
  static final String RATE_LIMITED = "Rate limit exceeded, slow down";

  ChatRefusal(String message) {
    super(message, null, false, false);
  }
}
