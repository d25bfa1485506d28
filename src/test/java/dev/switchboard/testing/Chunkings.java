package dev.switchboard.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Adversarial chunkings of one input, so that every incremental decoder is tested whole, split at
 * every index, and one byte at a time (after Okio's ONE_BYTE_AT_A_TIME).
 */
public final class Chunkings {
  private Chunkings() {}

  /** Named ways of cutting {@code input} into reads. */
  public static List<Chunking> of(byte[] input) {
    List<Chunking> out = new ArrayList<>();
    out.add(new Chunking("whole", List.of(input)));
    List<byte[]> single = new ArrayList<>();
    for (byte b : input) single.add(new byte[] {b});
    out.add(new Chunking("one byte at a time", single));
    for (int i = 1; i < input.length; i++) {
      byte[] a = new byte[i];
      byte[] b = new byte[input.length - i];
      System.arraycopy(input, 0, a, 0, i);
      System.arraycopy(input, i, b, 0, b.length);
      out.add(new Chunking("split at " + i, List.of(a, b)));
    }
    return out;
  }

  public record Chunking(String name, List<byte[]> pieces) {
    public List<ByteBuffer> buffers() {
      List<ByteBuffer> out = new ArrayList<>();
      for (byte[] p : pieces) out.add(ByteBuffer.wrap(p));
      return out;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
