package dev.switchboard.http;

import java.nio.ByteBuffer;

/**
 * Reads one chunk-size line of a chunked body, byte by byte, across reads (RFC 9112 §7.1):
 *
 * <pre>
 *   chunk-size [ chunk-ext ] CRLF
 *   chunk-size = 1*HEXDIG
 *   chunk-ext  = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 * </pre>
 *
 * Extensions are read and dropped (RFC 9112 §7.1.1: a recipient MUST ignore unrecognized ones).
 * One instance serves a whole body: {@link #startLine()} before each line, {@link #startBody()}
 * before each body, because the extension budget is per body. Not thread-safe.
 */
final class ChunkSizeLineReader {
  /** A chunk size of 8 hex digits is 4 GiB, far over any body limit; more digits only risk overflow. */
  static final int MAX_SIZE_DIGITS = 8;
  /**
   * Extensions are ignored but still read; without a cap a peer could make us read unbounded
   * extension bytes for a tiny body (Node's fix for CVE-2024-22019 caps them per body too).
   */
  static final int MAX_EXTENSION_BYTES = 16 * 1024;

  private enum Phase { DIGITS, WHITESPACE, EXTENSION, LF }

  private Phase phase = Phase.DIGITS;
  private int digits;
  private long size;
  private int extensionBytes;

  void startBody() {
    extensionBytes = 0;
    startLine();
  }

  void startLine() {
    phase = Phase.DIGITS;
    digits = 0;
    size = 0;
  }

  /** The size read by the last complete line, below 2^32. */
  long size() {
    return size;
  }

  /** Consumes bytes up to the end of the line; true once its LF has been read. */
  boolean read(ByteBuffer in) throws HttpParseException {
    while (in.hasRemaining()) {
      byte b = in.get();
      switch (phase) {
        case DIGITS -> {
          int digit = hexValue(b);
          if (digit >= 0) {
            if (++digits > MAX_SIZE_DIGITS) throw new HttpParseException(400, "Invalid chunk size");
            size = (size << 4) | digit;
          } else if (digits == 0) {
            throw new HttpParseException(400, "Invalid chunk size");
          } else {
            afterSize(b);
          }
        }
        case WHITESPACE -> afterSize(b);
        case EXTENSION -> {
          if (b == '\r') {
            phase = Phase.LF;
          } else {
            countExtensionByte();
            // The extension grammar (tokens, quoted strings) admits no control byte but HTAB.
            if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
              throw new HttpParseException(400, "Invalid chunk extension");
            }
          }
        }
        case LF -> {
          // RFC 9112 §2.2: CRLF only; a CR without LF leaves the line's end unknown.
          if (b != '\n') throw new HttpParseException(400, "Invalid chunk size");
          return true;
        }
        default -> throw new IllegalStateException(phase.name());
      }
    }
    return false;
  }

  /** After the digits: CR ends the line; BWS may only lead to ";" and an extension. */
  private void afterSize(byte b) throws HttpParseException {
    if (b == '\r' && phase == Phase.DIGITS) {
      phase = Phase.LF;
    } else if (b == ';') {
      phase = Phase.EXTENSION;
    } else if (b == ' ' || b == '\t') {
      countExtensionByte();
      phase = Phase.WHITESPACE;
    } else {
      throw new HttpParseException(400, "Invalid chunk size");
    }
  }

  private void countExtensionByte() throws HttpParseException {
    if (++extensionBytes > MAX_EXTENSION_BYTES) throw new HttpParseException(400, "Chunk extension too long");
  }

  static int hexValue(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
}
