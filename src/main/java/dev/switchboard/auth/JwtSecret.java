package dev.switchboard.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * The HS256 key. RFC 8725 §3.5: an HMAC key must be at least as long as the hash output (256
 * bits) and come from a CSPRNG, not from a human's memory. From {@code JWT_SECRET} when set (its
 * UTF-8 bytes, at least 32 of them, else the server refuses to start); otherwise 32 random bytes
 * generated once and kept in {@code <data dir>/jwt-secret} (owner-only), so tokens survive a
 * restart. The key never appears in a log or an error message.
 */
public final class JwtSecret {
  private static final Logger LOG = Logger.getLogger(JwtSecret.class.getName());
  public static final int MIN_BYTES = 32;
  public static final String FILE_NAME = "jwt-secret";

  private final byte[] key;

  private JwtSecret(byte[] key) {
    this.key = key;
  }

  /** A key given directly (tests, embedding); at least 32 bytes. */
  public static JwtSecret of(byte[] key) {
    if (key.length < MIN_BYTES) {
      throw new IllegalArgumentException("JWT_SECRET must be at least 32 bytes (256 bits); generate one with: openssl rand -base64 48");
    }
    return new JwtSecret(key.clone());
  }

  public static JwtSecret random() {
    byte[] b = new byte[MIN_BYTES];
    new SecureRandom().nextBytes(b);
    return new JwtSecret(b);
  }

  /** {@code JWT_SECRET} when given (null or empty: not given), else the data directory's key. */
  public static JwtSecret load(String fromEnvironment, Path dataDir) throws IOException {
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) return of(fromEnvironment.getBytes(StandardCharsets.UTF_8));
    DataDirectory.create(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      JwtSecret fresh = random();
      Path tmp = DataDirectory.createPrivateTempFile(dataDir, FILE_NAME);
      try {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.write(ByteBuffer.wrap((Base64.getEncoder().encodeToString(fresh.key) + "\n").getBytes(StandardCharsets.US_ASCII)));
          ch.force(true);
        }
        // Two servers starting at once on one directory: a hard link fails if the name exists, so
        // the first key wins and the other server reads it.
        try {
          Files.createLink(file, tmp);
        } catch (UnsupportedOperationException e) {
          Files.move(tmp, file);
        }
        LOG.info("generated a new JWT signing key in " + file);
        return fresh;
      } catch (FileAlreadyExistsException e) {
        // fall through and read the winner's key
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " does not hold a base64 key; delete it to generate a new one");
    }
    if (key.length < MIN_BYTES) throw new IOException(file + " holds a key shorter than 32 bytes; delete it to generate a new one");
    return new JwtSecret(key);
  }

  byte[] bytes() {
    return key.clone();
  }

  @Override
  public String toString() {
    return "JwtSecret{" + key.length + " bytes}";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JwtSecret s && java.security.MessageDigest.isEqual(key, s.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }
}
