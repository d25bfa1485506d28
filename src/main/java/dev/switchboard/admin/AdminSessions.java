package dev.switchboard.admin;

import dev.switchboard.scheduling.Scheduler;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The session ids handed to the UI after a good password ({@code session} event), so that it can
 * reconnect — after a page reload, or when the connection drops — without asking for the password
 * again (it stores the id and presents {@code auth: {sessionId}}), as {@code @socket.io/admin-ui}'s
 * in-memory store does. Unlike that store, ours is bounded: an id expires after {@link #TTL} (its
 * Redis store's default) and at most {@link #MAX} are kept, the oldest dropped first. Ids are 128
 * random bits; they are never logged.
 *
 * <p>Threading: any thread (synchronized); the clock is the server's scheduler.
 */
final class AdminSessions {
  static final long TTL = 24L * 3600 * 1000;
  static final int MAX = 1000;

  private final Scheduler clock;
  private final SecureRandom random = new SecureRandom();
  /** Id → expiry (epoch ms), oldest first. */
  private final LinkedHashMap<String, Long> expiries = new LinkedHashMap<>();

  AdminSessions(Scheduler clock) {
    this.clock = clock;
  }

  /** A new session id, valid for {@link #TTL}. */
  synchronized String create() {
    byte[] b = new byte[16];
    random.nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    expireOld();
    if (expiries.size() >= MAX) {
      Iterator<String> oldest = expiries.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    expiries.put(id, clock.currentTimeMillis() + TTL);
    return id;
  }

  /** Whether {@code id} was handed out and has not expired. */
  synchronized boolean isValid(String id) {
    Long until = expiries.get(id);
    return until != null && until > clock.currentTimeMillis();
  }

  synchronized int size() {
    return expiries.size();
  }

  private void expireOld() {
    long now = clock.currentTimeMillis();
    for (Iterator<Map.Entry<String, Long>> it = expiries.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue() > now) break; // in insertion order, so expiry order
      it.remove();
    }
  }
}
