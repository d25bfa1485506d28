package dev.switchboard.engineio;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes session ids. The default draws 120 bits from {@link SecureRandom} and writes them as 20
 * URL-safe base64 characters, like Node's base64id: a sid is a bearer capability for the
 * session, so it must not be guessable (hostile-inputs.md#C78). Tests inject a counter.
 */
@FunctionalInterface
public interface SessionIdGenerator {
  /** A new session id; any thread. */
  String next();

  static SessionIdGenerator secureRandom() {
    SecureRandom random = new SecureRandom();
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    return () -> {
      byte[] b = new byte[15];
      random.nextBytes(b);
      return enc.encodeToString(b);
    };
  }
}
