package dev.switchboard.fuzz;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The input format of the fuzz targets that read a byte stream (HTTP, WebSocket): one control
 * byte, then the bytes the peer sends. The control byte lets the fuzzer choose the limits and how
 * the stream is cut into reads, while a stored input stays a readable file:
 *
 * <pre>
 *   bit 0     0 = the production defaults, 1 = tiny limits (every limit reachable in a few bytes)
 *   bits 1-2  0 = whole, 1 = one byte at a time, 2 = pieces of 1..16 bytes drawn from a PRNG
 *             seeded with the whole control byte, 3 = split in two at every index
 *   bits 3-7  only seed the PRNG of mode 2
 * </pre>
 *
 * So a stored input starting with {@code @} is replayed whole with the defaults, {@code A} whole
 * with tiny limits, {@code B}/{@code C} one byte at a time, {@code D}/{@code E} in random pieces,
 * {@code F}/{@code G} split at every index. The targets always also feed the stream whole and
 * require the same outcome, so every chunking is a differential test against the whole read.
 *
 * @param tinyLimits whether bit 0 asks for the tiny limits
 * @param stream the bytes after the control byte
 * @param chunkings the reads to replay, each a list of pieces that concatenate to {@code stream}
 */
record StreamInput(boolean tinyLimits, byte[] stream, List<List<byte[]>> chunkings) {
  /** Splitting at every index is quadratic; longer streams get random pieces instead. */
  private static final int MAX_EVERY_SPLIT = 512;
  private static final int MAX_RANDOM_PIECE = 16;

  static StreamInput parse(byte[] data) {
    if (data.length == 0) return new StreamInput(false, data, List.of(List.of(data)));
    int control = data[0] & 0xff;
    byte[] stream = Arrays.copyOfRange(data, 1, data.length);
    int mode = (control >> 1) & 3;
    List<List<byte[]>> chunkings = new ArrayList<>();
    if (mode == 1) {
      List<byte[]> single = new ArrayList<>(stream.length);
      for (byte b : stream) single.add(new byte[] {b});
      chunkings.add(single);
    } else if (mode == 3 && stream.length <= MAX_EVERY_SPLIT) {
      for (int i = 1; i < stream.length; i++) {
        chunkings.add(List.of(Arrays.copyOfRange(stream, 0, i), Arrays.copyOfRange(stream, i, stream.length)));
      }
    } else if (mode != 0) {
      SplittableRandom random = new SplittableRandom(control);
      List<byte[]> pieces = new ArrayList<>();
      for (int i = 0; i < stream.length; ) {
        int n = Math.min(stream.length - i, 1 + random.nextInt(MAX_RANDOM_PIECE));
        pieces.add(Arrays.copyOfRange(stream, i, i + n));
        i += n;
      }
      chunkings.add(pieces);
    }
    return new StreamInput((control & 1) != 0, stream, chunkings);
  }

  /** Fresh buffers for one chunking (a decoder may leave bytes in a buffer it was given). */
  static List<ByteBuffer> buffers(List<byte[]> pieces) {
    List<ByteBuffer> out = new ArrayList<>(pieces.size());
    for (byte[] p : pieces) out.add(ByteBuffer.wrap(p));
    return out;
  }
}
