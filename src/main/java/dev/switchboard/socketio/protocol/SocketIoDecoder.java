package dev.switchboard.socketio.protocol;

import static dev.switchboard.socketio.protocol.SocketIoProtocolException.limitExceeded;
import static dev.switchboard.socketio.protocol.SocketIoProtocolException.malformed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Decodes the Socket.IO packets of one Engine.IO connection: each text message is a packet or the
 * header of a binary packet, each binary message the next attachment of that header.
 *
 * <pre>{@code
 * SocketIoDecoder decoder = new SocketIoDecoder(SocketIoLimits.DEFAULTS);
 * SocketIoPacket p = decoder.add("51-[\"baz\",{\"_placeholder\":true,\"num\":0}]"); // null: waiting
 * p = decoder.add(new byte[] {1, 2, 3, 4});  // EVENT ["baz", BinaryNode(01 02 03 04)]
 * }</pre>
 *
 * <p>State: {@code IDLE} → (binary header) → {@code AWAITING_ATTACHMENTS} → (last attachment) →
 * {@code IDLE}. Any {@link SocketIoProtocolException} moves it to {@code CORRUPT}, drops partial
 * state, and the caller must close the connection; feeding a corrupt decoder is a bug
 * ({@link IllegalStateException}) until {@link #reset()}.
 *
 * <p>Threading: not thread-safe; call it from the connection's serial executor only.
 */
public final class SocketIoDecoder implements PacketDecoder {

  /** Where the decoder is between messages. */
  public enum State {
    IDLE,
    AWAITING_ATTACHMENTS,
    CORRUPT
  }

  /** Who sends the packets this decoder reads; only servers may send CONNECT_ERROR. */
  public enum Sender {
    CLIENT,
    SERVER
  }

  private final SocketIoLimits limits;
  private final Sender sender;
  private final PayloadReader reader;
  private final int maxAckIdDigits;

  // Only accessed by the connection's serial executor.
  private State state = State.IDLE;
  private PendingBinaryPacket pending;

  /** A decoder for packets sent by a client: the server side of a connection. */
  public SocketIoDecoder(SocketIoLimits limits) {
    this(limits, Sender.CLIENT);
  }

  /** A decoder for packets sent by {@code sender}; {@code Sender.SERVER} suits test clients. */
  public SocketIoDecoder(SocketIoLimits limits, Sender sender) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.reader = PayloadReader.forLimits(limits);
    this.maxAckIdDigits = limits.maxAckIdDigits();
  }

  public State state() {
    return state;
  }

  /** Whether a binary packet header is waiting for attachments. */
  public boolean isReconstructing() {
    return state == State.AWAITING_ATTACHMENTS;
  }

  /** Drops any partial packet and returns to IDLE, e.g. when the connection closes. */
  @Override
  public void reset() {
    pending = null;
    state = State.IDLE;
  }

  /**
   * Decodes one text message.
   *
   * @return the packet, or null when it is a binary header now waiting for attachments
   * @throws SocketIoProtocolException the peer broke the protocol; close the connection
   */
  @Override
  public SocketIoPacket add(String text) throws SocketIoProtocolException {
    Objects.requireNonNull(text, "text");
    requireUsable();
    if (state == State.AWAITING_ATTACHMENTS) {
      // socket.io-parser Decoder.add; hostile-inputs.md#E108.
      throw corrupt(malformed("Got plaintext data when reconstructing a packet"));
    }
    try {
      return decodeText(text);
    } catch (SocketIoProtocolException e) {
      throw corrupt(e);
    }
  }

  /**
   * Takes one binary message as the next attachment. The array is kept in the packet, not copied.
   *
   * @return the reconstructed packet when this was the last attachment, else null
   * @throws SocketIoProtocolException the peer broke the protocol; close the connection
   */
  @Override
  public SocketIoPacket add(byte[] attachment) throws SocketIoProtocolException {
    Objects.requireNonNull(attachment, "attachment");
    requireUsable();
    if (state != State.AWAITING_ATTACHMENTS) {
      // socket.io-parser Decoder.add; hostile-inputs.md#E109.
      throw corrupt(malformed("Got binary data when not reconstructing a packet"));
    }
    try {
      SocketIoPacket packet = pending.add(attachment, limits.maxAttachmentBytesTotal());
      if (packet != null) reset();
      return packet;
    } catch (SocketIoProtocolException e) {
      throw corrupt(e);
    }
  }

  private void requireUsable() {
    if (state == State.CORRUPT) throw new IllegalStateException("Decoder is corrupt");
  }

  private SocketIoProtocolException corrupt(SocketIoProtocolException e) {
    pending = null;
    state = State.CORRUPT;
    return e;
  }

  private SocketIoPacket decodeText(String text) throws SocketIoProtocolException {
    int length = text.length();
    if (length == 0) throw malformed("Empty packet");
    // hostile-inputs.md#D82, hostile-inputs.md#D83: one digit 0..6.
    SocketIoPacketType type = SocketIoPacketType.fromWire(text.charAt(0));
    if (type == SocketIoPacketType.CONNECT_ERROR && sender == Sender.CLIENT) {
      // socket.io-protocol §Connection to a namespace: only the server refuses a connection
      // (hostile-inputs.md#D99).
      throw malformed("CONNECT_ERROR is sent only by servers");
    }
    int i = 1;

    PendingBinaryPacket binary = null;
    if (type.isBinary()) {
      int count = 0;
      int digits = 0;
      // socket.io-protocol §Format: "<# of binary attachments>-". hostile-inputs.md#E107: refuse the
      // count digit by digit, before anything is sized by it.
      while (i < length && isDigit(text.charAt(i))) {
        count = count * 10 + (text.charAt(i++) - '0');
        digits++;
        if (count > limits.maxAttachments()) {
          throw limitExceeded("Too many attachments (max " + limits.maxAttachments() + ")");
        }
      }
      if (digits == 0 || i == length || text.charAt(i) != '-') throw malformed("Invalid attachment count");
      // hostile-inputs.md#E113: socket.io-parser 4.2.7 refuses 0; official clients send type 2/3 instead.
      if (count == 0) throw malformed("Attachment count must be at least 1");
      i++;
      binary = new PendingBinaryPacket(count);
    }

    String namespace = SocketIoProtocol.MAIN_NAMESPACE;
    if (i < length && text.charAt(i) == '/') {
      // socket.io-protocol §Format: the namespace starts with '/' and ends at the first ',' (or at
      // the end: "1/admin" is accepted like the reference). No normalisation (hostile-inputs.md#D95).
      int start = i;
      int end = Math.min(length, start + limits.maxNamespaceLength() + 1);
      while (i < end && text.charAt(i) != ',') i++;
      if (i - start > limits.maxNamespaceLength()) {
        throw limitExceeded("Namespace too long (max " + limits.maxNamespaceLength() + ")");
      }
      if (i - start > 1) namespace = text.substring(start, i);
      if (i < length) i++;
    }

    long ackId = SocketIoPacket.NO_ACK_ID;
    if (type.carriesAckId() && i < length && isDigit(text.charAt(i))) {
      // hostile-inputs.md#D87, hostile-inputs.md#D88: digits only, bounded before conversion. Leading zeros are accepted
      // like the reference ("007" acks as 7) but count towards the digit cap.
      long id = 0;
      int digits = 0;
      while (i < length && isDigit(text.charAt(i))) {
        id = id * 10 + (text.charAt(i++) - '0');
        if (id > limits.maxAckId()) throw limitExceeded("Ack id too large (max " + limits.maxAckId() + ")");
        if (++digits > maxAckIdDigits) throw malformed("Ack id too long");
      }
      ackId = id;
    }

    JsonNode data = null;
    if (i < length) {
      // hostile-inputs.md#D104: the reference encoder never writes whitespace around the JSON.
      if (isJsonWhitespace(text.charAt(i)) || isJsonWhitespace(text.charAt(length - 1))) {
        throw malformed("Invalid JSON payload");
      }
      data = reader.read(text, i, binary);
    }
    validatePayload(type, data, ackId, limits);

    if (binary == null) return new SocketIoPacket(type, namespace, data, ackId);
    binary.header(type, namespace, data, ackId);
    pending = binary;
    state = State.AWAITING_ATTACHMENTS;
    return null;
  }

  /**
   * socket.io-parser isPayloadValid, plus the stricter rules of hostile-inputs.md#D84 to
   * hostile-inputs.md#D99. Shared with the MessagePack decoder, whose payloads follow the same rules.
   */
  static void validatePayload(SocketIoPacketType type, JsonNode data, long ackId, SocketIoLimits limits)
      throws SocketIoProtocolException {
    switch (type) {
      case CONNECT -> {
        // socket.io-protocol v5 §Difference between v5 and v4: an optional auth object
        // (hostile-inputs.md#D93).
        if (data != null && !data.isObject()) throw invalidPayload(type);
      }
      case DISCONNECT -> {
        // hostile-inputs.md#D98: a DISCONNECT names a namespace and nothing else.
        if (data != null) throw invalidPayload(type);
      }
      case EVENT, BINARY_EVENT -> validateEvent(type, data, limits);
      case ACK, BINARY_ACK -> {
        // socket.io-protocol §Acknowledgement: "MUST be an array (possibly empty)" (hostile-inputs.md#D90).
        if (data == null || !data.isArray()) throw invalidPayload(type);
        // An ACK without an id can never match a pending callback; official clients never send one.
        if (ackId == SocketIoPacket.NO_ACK_ID) throw malformed("ACK without ack id");
      }
      case CONNECT_ERROR -> {
        // socket.io-parser isPayloadValid: a message string (v4 servers) or an object.
        if (data == null || !(data.isObject() || data.isTextual())) throw invalidPayload(type);
      }
    }
  }

  private static void validateEvent(SocketIoPacketType type, JsonNode data, SocketIoLimits limits) throws SocketIoProtocolException {
    // socket.io-protocol §Sending and receiving data: "MUST be a non-empty array" (hostile-inputs.md#D84).
    if (data == null || !data.isArray() || data.isEmpty()) throw invalidPayload(type);
    JsonNode name = data.get(0);
    // CVE-2023-32695: the event name is a string or a number, never an object (hostile-inputs.md#D85).
    if (name.isNumber()) return;
    if (!name.isTextual()) throw malformed("Invalid event name");
    String text = name.textValue();
    if (text.length() > limits.maxEventNameLength()) {
      throw limitExceeded("Event name too long (max " + limits.maxEventNameLength() + ")");
    }
    // socket.io-parser RESERVED_EVENTS (hostile-inputs.md#D86).
    if (SocketIoProtocol.RESERVED_EVENT_NAMES.contains(text)) throw malformed("Reserved event name: " + text);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isJsonWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static SocketIoProtocolException invalidPayload(SocketIoPacketType type) {
    return malformed("Invalid " + type + " payload");
  }
}
