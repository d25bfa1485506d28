package dev.switchboard.websocket;

import static dev.switchboard.websocket.WebSocketProtocol.B0_FIN;
import static dev.switchboard.websocket.WebSocketProtocol.B0_OPCODE;
import static dev.switchboard.websocket.WebSocketProtocol.B0_RSV1;
import static dev.switchboard.websocket.WebSocketProtocol.B0_RSV_BITS;
import static dev.switchboard.websocket.WebSocketProtocol.B1_LENGTH;
import static dev.switchboard.websocket.WebSocketProtocol.B1_MASK;
import static dev.switchboard.websocket.WebSocketProtocol.LENGTH_16_BIT;
import static dev.switchboard.websocket.WebSocketProtocol.LENGTH_64_BIT;
import static dev.switchboard.websocket.WebSocketProtocol.MAX_CONTROL_PAYLOAD;
import static dev.switchboard.websocket.WebSocketProtocol.MAX_HEADER_BYTES;
import static dev.switchboard.websocket.WebSocketProtocol.OPCODE_BINARY;
import static dev.switchboard.websocket.WebSocketProtocol.OPCODE_CLOSE;
import static dev.switchboard.websocket.WebSocketProtocol.OPCODE_CONTINUATION;
import static dev.switchboard.websocket.WebSocketProtocol.OPCODE_PING;
import static dev.switchboard.websocket.WebSocketProtocol.OPCODE_TEXT;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Incremental decoder for the frames a client sends to a server (RFC 6455 §5). Feed it whatever
 * the socket delivered, in any chunking; it calls the {@link WebSocketListener} once per complete
 * message or control frame and keeps the rest for the next {@code feed}.
 *
 * <p>Memory is bounded by {@link WebSocketLimits}: every length is checked when its frame header
 * arrives, before any payload is buffered, and the message buffer grows with the bytes actually
 * received, never to a size the peer merely declared. Fragments are appended to one growable
 * array, text is validated as it arrives.
 *
 * <p>With permessage-deflate negotiated (RFC 7692), a message whose first frame has RSV1 set is
 * inflated as its payload arrives, in chunks, into the same message array: the inflated size is
 * held to {@code maxMessageBytes} as it grows (a bomb fails with 1009 once the limit is passed,
 * never having held more), and the compressed bytes on the wire are held to it too. The
 * {@link Inflater} is made on the first compressed message and freed by {@link #release()}.
 *
 * <p>Not thread-safe: one decoder per connection, called by that connection's reader only.
 *
 * <pre>{@code
 * var decoder = new WebSocketFrameDecoder(WebSocketLimits.DEFAULTS, listener);
 * try {
 *   decoder.feed(readBuffer);
 * } catch (WebSocketProtocolException e) {
 *   send(WebSocketFrameEncoder.close(e.closeCode(), e.getMessage()));
 * }
 * }</pre>
 */
public final class WebSocketFrameDecoder {
  /** Where the next byte belongs. CLOSED and CORRUPT are terminal. */
  enum State {
    /** Collecting the 2–14 header bytes of the next frame. */
    HEADER,
    /** Collecting the payload of the current frame. */
    PAYLOAD,
    /** A close frame was received; later bytes are ignored (§5.5.1). */
    CLOSED,
    /** A protocol error was reported; every later {@code feed} reports it again. */
    CORRUPT
  }

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** §5.2: multibyte lengths are in network byte order. */
  private static final VarHandle BIG_ENDIAN_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  /** Larger message buffers are dropped after their message, so idle connections stay small. */
  private static final int RETAINED_BUFFER_BYTES = 8192;
  private static final int MIN_BUFFER_BYTES = 64;
  private static final int NO_MESSAGE = -1;

  private final WebSocketLimits limits;
  private final WebSocketListener listener;
  private State state = State.HEADER;
  private WebSocketProtocolException failure;

  // The frame being read.
  private final byte[] header = new byte[MAX_HEADER_BYTES];
  private int headerLength;
  /** 2 until the first two bytes tell how long the header really is. */
  private int headerSize = 2;
  private boolean fin;
  private int opcode;
  /** The 4-byte masking key repeated twice, little-endian, for eight-at-a-time unmasking. */
  private long mask;
  private int payloadRead;
  private int payloadRemaining;
  private final byte[] controlPayload = new byte[MAX_CONTROL_PAYLOAD];

  // The data message being assembled, possibly over several fragments.
  private int messageOpcode = NO_MESSAGE;
  private byte[] message;
  private int messageLength;
  private int fragments;
  private final Utf8Validator utf8 = new Utf8Validator();

  // permessage-deflate (RFC 7692), when negotiated.
  /** Null when the extension was not negotiated: RSV1 is then a protocol error like RSV2/3. */
  private final PerMessageDeflate deflate;
  /** Made on the first compressed message; {@link #release} ends it. */
  private Inflater inflater;
  /** Whether the message being assembled is compressed (RSV1 on its first frame, §6). */
  private boolean compressed;
  /** Compressed bytes of that message received so far, for the limit on wire bytes. */
  private int compressedLength;
  /** Unmasked compressed bytes on their way into the inflater. */
  private byte[] scratch;
  /** One byte of inflater output past the limit: proof that the message is too big. */
  private final byte[] probe = new byte[1];
  private static final int SCRATCH_BYTES = 8192;

  /** A decoder with no extension: RSV1-3 are always protocol errors. */
  public WebSocketFrameDecoder(WebSocketLimits limits, WebSocketListener listener) {
    this(limits, listener, null);
  }

  /**
   * A decoder for a connection that negotiated {@code deflate} (null: none), whose compressed
   * messages it inflates.
   */
  public WebSocketFrameDecoder(WebSocketLimits limits, WebSocketListener listener, PerMessageDeflate deflate) {
    if (limits == null || listener == null) throw new IllegalArgumentException("null limits or listener");
    this.limits = limits;
    this.listener = listener;
    this.deflate = deflate;
  }

  /**
   * Frees the inflater's native memory (about 40 KiB once a compressed message was read). Called
   * once the connection is closed; the decoder is not fed again.
   */
  public void release() {
    Inflater i = inflater;
    inflater = null;
    scratch = null;
    if (i != null) i.end();
  }

  /**
   * Consumes all of {@code in}, delivering each completed message and control frame to the
   * listener before returning. After a close frame, the rest is consumed and ignored.
   *
   * <p>A runtime exception from the listener propagates with the decoder still consistent and the
   * bytes after that frame left in {@code in}.
   *
   * @throws WebSocketProtocolException on the first violation, carrying the close code to send;
   *     {@code in}'s position is then unspecified, and every later call throws the same exception
   */
  public void feed(ByteBuffer in) throws WebSocketProtocolException {
    if (state == State.CORRUPT) throw failure;
    try {
      while (in.hasRemaining()) {
        switch (state) {
          case HEADER -> readHeader(in);
          case PAYLOAD -> readPayload(in);
          // RFC 6455 §5.5.1: the close frame is the peer's last word; what follows is not processed.
          case CLOSED -> in.position(in.limit());
          case CORRUPT -> throw failure;
        }
      }
    } catch (WebSocketProtocolException e) {
      state = State.CORRUPT;
      failure = e;
      throw e;
    }
  }

  State state() {
    return state;
  }

  private void readHeader(ByteBuffer in) throws WebSocketProtocolException {
    int n = Math.min(headerSize - headerLength, in.remaining());
    in.get(header, headerLength, n);
    headerLength += n;
    if (headerLength < headerSize) return;
    if (headerSize == 2) {
      headerSize = checkFirstTwoBytes();
      return; // the masking key is still to come, so the header is never complete here
    }
    startFrame();
  }

  /** Applies every rule decidable from the first two bytes; returns the full header size. */
  private int checkFirstTwoBytes() throws WebSocketProtocolException {
    int b0 = header[0] & 0xFF;
    int b1 = header[1] & 0xFF;
    fin = (b0 & B0_FIN) != 0;
    opcode = b0 & B0_OPCODE;
    // RFC 6455 §5.2: RSV1-3 MUST be 0 unless an extension defines them. RFC 7692 §6 defines RSV1,
    // on the first frame of a data message only: never on a control frame or a continuation.
    if ((b0 & B0_RSV_BITS) != 0) {
      if (deflate == null || (b0 & B0_RSV_BITS) != B0_RSV1) throw protocolError("Reserved bits set with no extension negotiated");
      if (opcode != OPCODE_TEXT && opcode != OPCODE_BINARY) throw protocolError("RSV1 set on a frame that is not a message's first");
    }
    // RFC 6455 §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved.
    if (!WebSocketProtocol.isDefined(opcode)) {
      throw protocolError("Reserved opcode 0x" + Integer.toHexString(opcode).toUpperCase(Locale.ROOT));
    }
    // RFC 6455 §5.1: a server MUST close the connection upon an unmasked client frame.
    if ((b1 & B1_MASK) == 0) throw protocolError("Client frame is not masked");
    int length7 = b1 & B1_LENGTH;
    if (WebSocketProtocol.isControl(opcode)) {
      // RFC 6455 §5.5: control frames MUST NOT be fragmented.
      if (!fin) throw protocolError("Control frame is fragmented");
      // RFC 6455 §5.5: control frames MUST have a payload length of 125 bytes or less.
      if (length7 > MAX_CONTROL_PAYLOAD) throw protocolError("Control frame payload longer than 125 bytes");
    } else if (opcode == OPCODE_CONTINUATION) {
      // RFC 6455 §5.4: a continuation frame only continues a message that was started.
      if (messageOpcode == NO_MESSAGE) throw protocolError("Continuation frame with no message in progress");
    } else if (messageOpcode != NO_MESSAGE) {
      // RFC 6455 §5.4: fragments of one message are not interleaved with another message.
      throw protocolError("Data frame while a fragmented message is in progress");
    }
    int extended = length7 == LENGTH_16_BIT ? 2 : length7 == LENGTH_64_BIT ? 8 : 0;
    return 2 + extended + 4;
  }

  /** The header is complete: checks the length against the limits and prepares for the payload. */
  private void startFrame() throws WebSocketProtocolException {
    int length7 = header[1] & B1_LENGTH;
    long length;
    int p;
    if (length7 == LENGTH_16_BIT) {
      length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
      // RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length".
      if (length < LENGTH_16_BIT) throw protocolError("Non-minimal 16-bit payload length: " + length);
      p = 4;
    } else if (length7 == LENGTH_64_BIT) {
      length = (long) BIG_ENDIAN_LONGS.get(header, 2);
      // RFC 6455 §5.2: the most significant bit MUST be 0. ws answers 1009, as for any huge length.
      if (length < 0) throw new WebSocketProtocolException(CloseCodes.TOO_BIG, "Payload length has the most significant bit set");
      // RFC 6455 §5.2: minimal encoding, so the 64-bit form is only for lengths above 65535.
      if (length <= 0xFFFF) throw protocolError("Non-minimal 64-bit payload length: " + length);
      p = 10;
    } else {
      length = length7;
      p = 2;
    }
    // Little-endian, like LONGS, so byte k of the long masks payload byte k (mod 4).
    int key = (header[p] & 0xFF) | (header[p + 1] & 0xFF) << 8 | (header[p + 2] & 0xFF) << 16 | (header[p + 3] & 0xFF) << 24;
    mask = (key & 0xFFFFFFFFL) | ((long) key << 32);

    if (!WebSocketProtocol.isControl(opcode)) {
      boolean first = opcode != OPCODE_CONTINUATION;
      boolean deflated = first ? (header[0] & B0_RSV1) != 0 : compressed;
      // A compressed message's wire bytes count here; what they inflate to is held to the same
      // limit as it is produced (inflate).
      long total = (first ? 0 : deflated ? compressedLength : messageLength) + length;
      // RFC 6455 §10.4: checked before a byte of this frame is buffered.
      if (total > limits.maxMessageBytes()) {
        throw new WebSocketProtocolException(CloseCodes.TOO_BIG, "Message too big: " + total + " > " + limits.maxMessageBytes());
      }
      int count = (opcode == OPCODE_CONTINUATION ? fragments : 0) + 1;
      if (count > limits.maxFragments()) {
        throw new WebSocketProtocolException(CloseCodes.TOO_BIG, "Too many fragments: " + count + " > " + limits.maxFragments());
      }
      if (opcode != OPCODE_CONTINUATION) {
        messageOpcode = opcode;
        messageLength = 0;
        compressed = deflated;
        compressedLength = 0;
        utf8.reset();
      }
      fragments = count;
    }
    payloadRead = 0;
    payloadRemaining = (int) length;
    headerLength = 0;
    headerSize = 2;
    if (payloadRemaining == 0) {
      endFrame();
    } else {
      state = State.PAYLOAD;
    }
  }

  private void readPayload(ByteBuffer in) throws WebSocketProtocolException {
    int n = Math.min(payloadRemaining, in.remaining());
    if (WebSocketProtocol.isControl(opcode)) {
      in.get(controlPayload, payloadRead, n);
      unmask(controlPayload, payloadRead, n, payloadRead);
    } else if (compressed) {
      if (scratch == null) scratch = new byte[SCRATCH_BYTES];
      for (int done = 0; done < n; ) {
        int k = Math.min(n - done, SCRATCH_BYTES);
        in.get(scratch, 0, k);
        unmask(scratch, 0, k, payloadRead + done);
        inflate(scratch, k);
        done += k;
      }
      compressedLength += n;
    } else {
      int offset = messageLength;
      // A final frame's end is the message's end; before it, more fragments may follow.
      ensureCapacity(offset + n, fin ? offset + payloadRemaining : limits.maxMessageBytes());
      in.get(message, offset, n);
      unmask(message, offset, n, payloadRead);
      messageLength += n;
      // RFC 6455 §8.1: invalid UTF-8 in a text message fails the connection; check as it arrives
      // so a bad byte is caught before the rest of the message is read.
      if (messageOpcode == OPCODE_TEXT && utf8.feed(message, offset, offset + n) >= 0) {
        throw new WebSocketProtocolException(CloseCodes.INVALID_DATA, "Invalid UTF-8 in text message");
      }
    }
    payloadRead += n;
    payloadRemaining -= n;
    if (payloadRemaining == 0) endFrame();
  }

  /**
   * Grows the message buffer to hold at least {@code needed} bytes, doubling for amortised
   * appends but never beyond {@code ceiling}. Growth follows the bytes that arrived, so memory
   * stays within twice what the peer actually sent, never what a header merely promised.
   */
  private void ensureCapacity(int needed, int ceiling) {
    int capacity = message == null ? 0 : message.length;
    if (needed <= capacity) return;
    int grown = Math.min(Math.max(Math.max(needed, capacity * 2), MIN_BUFFER_BYTES), ceiling);
    message = message == null ? new byte[grown] : Arrays.copyOf(message, grown);
  }

  /**
   * XORs {@code len} bytes at {@code off} with the masking key (§5.3), where {@code position}
   * is the index of the first of them within the frame payload.
   */
  private void unmask(byte[] a, int off, int len, int position) {
    // Rotating the 8-byte key by the position's phase lines it up with a[off]; 8 is a multiple
    // of the key length 4, so the phase is unchanged after the long-at-a-time loop.
    long m = Long.rotateRight(mask, (position & 3) << 3);
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) LONGS.set(a, i, (long) LONGS.get(a, i) ^ m);
    for (; i < end; i++, m >>>= 8) a[i] ^= (byte) m;
  }

  private void endFrame() throws WebSocketProtocolException {
    state = State.HEADER;
    if (WebSocketProtocol.isControl(opcode)) {
      byte[] payload = Arrays.copyOf(controlPayload, payloadRead);
      if (opcode == OPCODE_CLOSE) {
        onCloseFrame(payload);
      } else if (opcode == OPCODE_PING) {
        listener.onPing(payload);
      } else {
        listener.onPong(payload);
      }
    } else if (fin) {
      endMessage();
    }
  }

  /**
   * Feeds {@code len} compressed bytes to the inflater and takes all it can produce now, growing
   * the message array with the output and never past {@code maxMessageBytes}.
   */
  private void inflate(byte[] input, int len) throws WebSocketProtocolException {
    Inflater inf = inflater;
    if (inf == null) inflater = inf = new Inflater(true); // raw deflate, no zlib header (RFC 7692 §7.2.2)
    if (inf.finished()) {
      // The peer ended its deflate stream (BFINAL) and still sends bytes in this message.
      if (len > 0) throw new WebSocketProtocolException(CloseCodes.INVALID_DATA, "Data after the end of the deflate stream");
      return;
    }
    inf.setInput(input, 0, len);
    int limit = limits.maxMessageBytes();
    try {
      while (true) {
        int room = limit - messageLength;
        if (room == 0) {
          // Full: one more byte of output is a message over the limit (RFC 6455 §7.4.1, 1009).
          if (inf.inflate(probe, 0, 1) > 0) {
            throw new WebSocketProtocolException(CloseCodes.TOO_BIG, "Message too big once inflated: > " + limit);
          }
        } else {
          ensureCapacity(messageLength + 1, limit);
          int offset = messageLength;
          int n = inf.inflate(message, offset, message.length - offset);
          if (n > 0) {
            messageLength += n;
            if (messageOpcode == OPCODE_TEXT && utf8.feed(message, offset, offset + n) >= 0) {
              throw new WebSocketProtocolException(CloseCodes.INVALID_DATA, "Invalid UTF-8 in text message");
            }
            continue;
          }
        }
        if (inf.finished() && inf.getRemaining() > 0) {
          // Bytes after the final block, whether they came in this read or a later one.
          throw new WebSocketProtocolException(CloseCodes.INVALID_DATA, "Data after the end of the deflate stream");
        }
        if (inf.needsInput() || inf.finished()) return;
        // RFC 7692 §7.2.2 leaves no room for preset dictionaries: the stream is not valid.
        if (inf.needsDictionary()) throw new WebSocketProtocolException(CloseCodes.INVALID_DATA, "Invalid deflate data");
      }
    } catch (DataFormatException e) {
      // RFC 7692 §7.2.2: the payload must be DEFLATE data (RFC 1951). ws fails such a
      // connection with 1007, the code of RFC 6455 §7.4.1 for data that does not match the
      // message's declared form; we do the same.
      throw new WebSocketProtocolException(CloseCodes.INVALID_DATA, "Invalid deflate data");
    } finally {
      inf.setInput(EMPTY, 0, 0);
    }
  }

  private static final byte[] EMPTY = new byte[0];

  private void endMessage() throws WebSocketProtocolException {
    if (compressed) {
      // RFC 7692 §7.2.2: append 00 00 ff ff to the payload, then inflate the rest.
      if (inflater == null || !inflater.finished()) inflate(MessageDeflater.TAIL, 4);
      // §7.1.1.2: a client without context takeover starts each message afresh; a stream the
      // client ended (BFINAL) has no context left to take over either.
      if (deflate.clientNoContextTakeover() || inflater.finished()) inflater.reset();
      compressed = false;
    }
    int opcodeDone = messageOpcode;
    int length = messageLength;
    byte[] buffer = message;
    messageOpcode = NO_MESSAGE;
    messageLength = 0;
    fragments = 0;
    if (buffer != null && buffer.length > RETAINED_BUFFER_BYTES) message = null;
    if (opcodeDone == OPCODE_TEXT) {
      // RFC 6455 §8.1: the message must also end on a code point boundary.
      if (!utf8.isComplete()) {
        throw new WebSocketProtocolException(CloseCodes.INVALID_DATA, "Truncated UTF-8 at the end of a text message");
      }
      listener.onText(length == 0 ? "" : new String(buffer, 0, length, StandardCharsets.UTF_8));
    } else {
      assert opcodeDone == OPCODE_BINARY;
      byte[] data;
      if (length == 0) {
        data = new byte[0];
      } else if (buffer.length == length) {
        data = buffer; // exactly sized: hand it over instead of copying
        message = null;
      } else {
        data = Arrays.copyOf(buffer, length);
      }
      listener.onBinary(data);
    }
  }

  private void onCloseFrame(byte[] payload) throws WebSocketProtocolException {
    int code = CloseCodes.NO_STATUS;
    String reason = "";
    if (payload.length == 1) {
      // RFC 6455 §5.5.1: a close body starts with a 2-byte status code; one byte cannot be one.
      throw protocolError("Close frame payload of 1 byte");
    }
    if (payload.length >= 2) {
      code = (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
      // RFC 6455 §7.4.1, §7.4.2: reserved, unassigned and never-sent codes are protocol errors.
      if (!CloseCodes.isValidReceived(code)) throw protocolError("Invalid close code: " + code);
      // RFC 6455 §5.5.1: the reason is UTF-8; §8.1 makes invalid UTF-8 a 1007 failure.
      if (!Utf8Validator.isValid(payload, 2, payload.length)) {
        throw new WebSocketProtocolException(CloseCodes.INVALID_DATA, "Invalid UTF-8 in close reason");
      }
      reason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
    state = State.CLOSED;
    message = null;
    listener.onClose(code, reason);
  }

  private static WebSocketProtocolException protocolError(String message) {
    return new WebSocketProtocolException(CloseCodes.PROTOCOL_ERROR, message);
  }
}
