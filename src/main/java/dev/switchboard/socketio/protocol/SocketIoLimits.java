package dev.switchboard.socketio.protocol;

/**
 * Bounds on what one peer may make a {@link SocketIoDecoder} hold or compute. Each exists because
 * a published Socket.IO implementation was crashed or exhausted without it (see
 * known-vulnerabilities.md and spec-notes/socket-io-codec.md).
 *
 * <pre>{@code
 * SocketIoDecoder d = new SocketIoDecoder(SocketIoLimits.DEFAULTS.withMaxAttachmentBytesTotal(4_000_000));
 * }</pre>
 *
 * @param maxAttachments binary attachments per packet. Default 10, socket.io-parser's
 *     {@code maxAttachments} (CVE-2026-33151: an unbounded count let one header buffer frames
 *     forever; netty-socketio #945 pre-sized a list from it). 0 refuses every binary packet.
 * @param maxAttachmentBytesTotal bytes of all attachments of one packet together. Default
 *     1 000 000, Engine.IO's default maxPayload: a binary packet never pins more heap than one
 *     maximal message, instead of 10 × 1 MB per attacking socket (hostile-inputs.md#E111).
 * @param maxNestingDepth JSON arrays/objects nested in one payload, the payload itself being
 *     depth 1. Default 64: real payloads stay under ~10, and a shallow cap keeps every tree walk
 *     (ours, Jackson's serializer, the application's) far from the stack limit (hostile-inputs.md#D101,
 *     nimbus CVE-2025-53864). At most {@link SocketIoEncoder#MAX_NESTING_DEPTH} so that
 *     anything decoded can be re-emitted.
 * @param maxNamespaceLength characters of a namespace, slash included. Default 256: namespaces are
 *     short identifiers; unknown ones are echoed back in CONNECT_ERROR (hostile-inputs.md#D95).
 * @param maxAckId largest ack id accepted. Default 2^31−1: official clients count up from 0, and a
 *     cap keeps ids exact in JavaScript (the reference rounds 22-digit ids, hostile-inputs.md#D88). At
 *     most 2^53−1.
 * @param maxEventNameLength characters of a string event name. Default 256: names are handler
 *     keys and end up in logs.
 * @param maxNumberLength characters of one JSON number. Default 100: JSON.stringify never writes
 *     more than ~25; longer digit strings only buy quadratic BigInteger work (hostile-inputs.md#D102).
 * @param maxStringLength characters of one JSON string or key. Default 1 000 000, the Engine.IO
 *     message limit; it only matters if that limit is raised.
 */
public record SocketIoLimits(
    int maxAttachments,
    long maxAttachmentBytesTotal,
    int maxNestingDepth,
    int maxNamespaceLength,
    long maxAckId,
    int maxEventNameLength,
    int maxNumberLength,
    int maxStringLength) {

  public static final SocketIoLimits DEFAULTS =
      new SocketIoLimits(10, 1_000_000, 64, 256, Integer.MAX_VALUE, 256, 100, 1_000_000);

  public SocketIoLimits {
    requireAtLeast("maxAttachments", maxAttachments, 0);
    requireAtLeast("maxAttachmentBytesTotal", maxAttachmentBytesTotal, 0);
    requireAtLeast("maxNestingDepth", maxNestingDepth, 1);
    if (maxNestingDepth > SocketIoEncoder.MAX_NESTING_DEPTH) {
      throw new IllegalArgumentException(
          "maxNestingDepth must be at most " + SocketIoEncoder.MAX_NESTING_DEPTH);
    }
    requireAtLeast("maxNamespaceLength", maxNamespaceLength, 1);
    requireAtLeast("maxAckId", maxAckId, 0);
    if (maxAckId > SocketIoProtocol.MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("maxAckId must be at most 2^53-1");
    }
    requireAtLeast("maxEventNameLength", maxEventNameLength, 1);
    requireAtLeast("maxNumberLength", maxNumberLength, 1);
    requireAtLeast("maxStringLength", maxStringLength, 1);
  }

  private static void requireAtLeast(String name, long value, long min) {
    if (value < min) throw new IllegalArgumentException(name + " must be at least " + min);
  }

  public SocketIoLimits withMaxAttachments(int v) {
    return new SocketIoLimits(v, maxAttachmentBytesTotal, maxNestingDepth, maxNamespaceLength,
        maxAckId, maxEventNameLength, maxNumberLength, maxStringLength);
  }

  public SocketIoLimits withMaxAttachmentBytesTotal(long v) {
    return new SocketIoLimits(maxAttachments, v, maxNestingDepth, maxNamespaceLength,
        maxAckId, maxEventNameLength, maxNumberLength, maxStringLength);
  }

  public SocketIoLimits withMaxNestingDepth(int v) {
    return new SocketIoLimits(maxAttachments, maxAttachmentBytesTotal, v, maxNamespaceLength,
        maxAckId, maxEventNameLength, maxNumberLength, maxStringLength);
  }

  public SocketIoLimits withMaxNamespaceLength(int v) {
    return new SocketIoLimits(maxAttachments, maxAttachmentBytesTotal, maxNestingDepth, v,
        maxAckId, maxEventNameLength, maxNumberLength, maxStringLength);
  }

  public SocketIoLimits withMaxAckId(long v) {
    return new SocketIoLimits(maxAttachments, maxAttachmentBytesTotal, maxNestingDepth,
        maxNamespaceLength, v, maxEventNameLength, maxNumberLength, maxStringLength);
  }

  public SocketIoLimits withMaxEventNameLength(int v) {
    return new SocketIoLimits(maxAttachments, maxAttachmentBytesTotal, maxNestingDepth,
        maxNamespaceLength, maxAckId, v, maxNumberLength, maxStringLength);
  }

  public SocketIoLimits withMaxNumberLength(int v) {
    return new SocketIoLimits(maxAttachments, maxAttachmentBytesTotal, maxNestingDepth,
        maxNamespaceLength, maxAckId, maxEventNameLength, v, maxStringLength);
  }

  public SocketIoLimits withMaxStringLength(int v) {
    return new SocketIoLimits(maxAttachments, maxAttachmentBytesTotal, maxNestingDepth,
        maxNamespaceLength, maxAckId, maxEventNameLength, maxNumberLength, v);
  }

  /** Decimal digits of {@link #maxAckId}: more digits are refused even when they are zeros. */
  int maxAckIdDigits() {
    return Long.toString(maxAckId).length();
  }
}
