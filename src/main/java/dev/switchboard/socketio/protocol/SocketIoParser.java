package dev.switchboard.socketio.protocol;

import java.util.Locale;
import java.util.Objects;

/**
 * How Socket.IO packets are written into Engine.IO messages: Node's {@code parser} server option.
 * Client and server must use the same one. Two exist:
 *
 * <ul>
 *   <li>{@link #DEFAULT}: socket.io-parser, a text message per packet (JSON payload) followed by
 *       its binary attachments ({@link SocketIoEncoder}, {@link SocketIoDecoder});
 *   <li>{@link #MSGPACK}: socket.io-msgpack-parser 3.0, each packet one MessagePack map in one
 *       binary message ({@link MsgpackParser}; spec-notes/socket-io-codec.md, "MessagePack parser").
 * </ul>
 *
 * <pre>{@code
 * SocketIoOptions.builder().parser(SocketIoParser.MSGPACK).build();
 * SocketIoParser p = SocketIoParser.named("msgpack");
 * }</pre>
 *
 * <p>Threading: implementations are stateless and thread-safe; each decoder they make belongs to
 * one connection.
 */
public interface SocketIoParser {
  /** socket.io-parser: text packets with JSON payloads and binary attachments (Node's default). */
  SocketIoParser DEFAULT = DefaultParser.INSTANCE;

  /** socket.io-msgpack-parser 3.0.x: one MessagePack binary message per packet. */
  SocketIoParser MSGPACK = MsgpackParser.INSTANCE;

  /**
   * Encodes one packet; a broadcast encodes once and writes the result to every recipient.
   *
   * @throws IllegalArgumentException a packet the other side would have to refuse
   */
  SocketIoEncoder.Encoded encode(SocketIoPacket packet);

  /** A decoder for the packets one client sends, bounded by {@code limits}. */
  PacketDecoder newDecoder(SocketIoLimits limits);

  /** The name configuration uses: {@code default} or {@code msgpack}. */
  String name();

  /**
   * The parser called {@code name} ({@code default} or {@code msgpack}, case-insensitive).
   *
   * @throws IllegalArgumentException for any other name
   */
  static SocketIoParser named(String name) {
    Objects.requireNonNull(name, "name");
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "default" -> DEFAULT;
      case "msgpack" -> MSGPACK;
      default -> throw new IllegalArgumentException("Unknown parser \"" + name + "\" (default or msgpack)");
    };
  }
}
