package dev.switchboard.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Incremental, strict UTF-8 validation (RFC 3629 §4, the well-formed byte sequences of Unicode
 * Table 3-7): no overlong forms, no surrogates (U+D800–U+DFFF), nothing above U+10FFFF. State
 * survives between calls, so a code point may be split across reads and across fragments, while
 * a bad byte is reported as soon as it is seen. Not thread-safe.
 */
final class Utf8Validator {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** Continuation bytes still owed by the current code point; 0 between code points. */
  private int needed;
  /** Allowed range of the next continuation byte; narrower than 80..BF right after E0, ED, F0, F4. */
  private int lower = 0x80;
  private int upper = 0xBF;

  /** Returns the index of the first byte in {@code [from, to)} that cannot continue, or -1. */
  int feed(byte[] a, int from, int to) {
    int i = from;
    while (i < to) {
      if (needed == 0) {
        // Skip ASCII eight bytes at a time: typical JSON text is mostly ASCII.
        while (i + 8 <= to && (((long) LONGS.get(a, i)) & HIGH_BITS) == 0) i += 8;
        if (i == to) break;
        int b = a[i] & 0xFF;
        if (b < 0x80) {
          i++;
          continue;
        }
        if (b >= 0xC2 && b <= 0xDF) {
          needed = 1; // C0 and C1 could only start overlong forms of ASCII
        } else if (b >= 0xE0 && b <= 0xEF) {
          needed = 2;
          if (b == 0xE0) lower = 0xA0; // below A0 would be an overlong 2-byte form
          else if (b == 0xED) upper = 0x9F; // above 9F would be a surrogate
        } else if (b >= 0xF0 && b <= 0xF4) {
          needed = 3;
          if (b == 0xF0) lower = 0x90; // below 90 would be an overlong 3-byte form
          else if (b == 0xF4) upper = 0x8F; // above 8F would exceed U+10FFFF
        } else {
          return i; // stray continuation byte, C0/C1, or F5..FF
        }
        i++;
      } else {
        int b = a[i] & 0xFF;
        if (b < lower || b > upper) return i;
        lower = 0x80;
        upper = 0xBF;
        needed--;
        i++;
      }
    }
    return -1;
  }

  /** Whether the bytes so far end on a code point boundary. */
  boolean isComplete() {
    return needed == 0;
  }

  void reset() {
    needed = 0;
    lower = 0x80;
    upper = 0xBF;
  }

  /** Whether {@code a[from, to)} is complete, well-formed UTF-8 on its own. */
  static boolean isValid(byte[] a, int from, int to) {
    Utf8Validator v = new Utf8Validator();
    return v.feed(a, from, to) < 0 && v.isComplete();
  }
}
