package dev.switchboard.auth;

import dev.switchboard.cluster.redis.RedisLink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ThrottleCounters} in Redis, so that guesses spread over the nodes of a cluster count
 * together (spec-notes/authentication.md, "Rate limiting"). Each address and each account is a
 * sorted set of failure marks scored by their time —
 * {@code <key>:switchboard:throttle:<limiter>:addr:<address>} and {@code …:acct:<account>} —
 * that expires one window after its last mark. Each operation is one small Lua script, so a check
 * and the count that follows it are atomic: parallel guesses on two nodes cannot both pass the
 * last free place (Redis runs a script without interleaving other commands, EVAL documentation).
 * An address mark is {@code <mark><account>} so that a success can take its account's marks off
 * the address; marks are {@value #MARK_CHARS} characters.
 *
 * <p>A key holds at most its limit of marks (nothing is counted once a key is blocked), and keys
 * expire: Redis's memory is bounded by the addresses and accounts tried within one window.
 *
 * <p>Threading: any thread; every call only queues a command on the link; the futures complete on
 * a Lettuce thread (callers wait for them on a worker, never on an I/O thread).
 */
public final class RedisThrottleCounters implements ThrottleCounters {
  static final int MARK_CHARS = 16;

  /** Drops marks that left the window; returns the wait of one key (0 when under its limit). */
  private static final String WAIT_FUNCTION = """
      local now = tonumber(ARGV[1])
      local win = tonumber(ARGV[2])
      local function wait(key, lim)
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now - win)
        local n = redis.call('ZCARD', key)
        if n < lim then return 0 end
        local e = redis.call('ZRANGE', key, n - lim, n - lim, 'WITHSCORES')
        return math.max(1, tonumber(e[2]) + win - now)
      end
      local w = wait(KEYS[1], tonumber(ARGV[3]))
      if #KEYS > 1 then w = math.max(w, wait(KEYS[2], tonumber(ARGV[4]))) end
      """;

  /** ARGV: now, window, address limit, account limit, "count"|"peek", mark, account. */
  private static final String BEGIN = WAIT_FUNCTION + """
      if ARGV[5] == 'count' and w == 0 then
        redis.call('ZADD', KEYS[1], now, ARGV[6] .. ARGV[7])
        redis.call('PEXPIRE', KEYS[1], win)
        if #KEYS > 1 then
          redis.call('ZADD', KEYS[2], now, ARGV[6])
          redis.call('PEXPIRE', KEYS[2], win)
        end
      end
      return {w}
      """;

  /** KEYS: address, account; ARGV: the account. */
  private static final String CLEAR = """
      if #KEYS > 1 then redis.call('DEL', KEYS[2]) end
      for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
        if string.sub(m, %d) == ARGV[1] then redis.call('ZREM', KEYS[1], m) end
      end
      return {0}
      """.formatted(MARK_CHARS + 1);

  /** KEYS: address[, account]; ARGV: mark, account. */
  private static final String FORGIVE = """
      redis.call('ZREM', KEYS[1], ARGV[1] .. ARGV[2])
      if #KEYS > 1 then redis.call('ZREM', KEYS[2], ARGV[1]) end
      return {0}
      """;

  private final RedisLink link;
  private final String prefix;
  private final int perAccount;
  private final int perAddress;
  private final long windowMillis;

  /**
   * Counters of one limiter ({@code name}: {@code login}, {@code signup}) under the cluster's
   * {@code key}, with its limits; {@code perAccount} {@link Integer#MAX_VALUE} when only the
   * address is limited.
   */
  public RedisThrottleCounters(RedisLink link, String key, String name, int perAccount, int perAddress, Duration window) {
    this.link = link;
    this.prefix = key + ":switchboard:throttle:" + name + ":";
    this.perAccount = perAccount;
    this.perAddress = perAddress;
    this.windowMillis = window.toMillis();
  }

  @Override
  public CompletableFuture<Long> begin(String address, String account, String mark, long nowMillis) {
    return check(address, account, mark, nowMillis, true);
  }

  @Override
  public CompletableFuture<Long> waitMillis(String address, String account, long nowMillis) {
    return check(address, account, "", nowMillis, false);
  }

  private CompletableFuture<Long> check(String address, String account, String mark, long now, boolean count) {
    if (count && mark.length() != MARK_CHARS) throw new IllegalArgumentException("a mark is " + MARK_CHARS + " characters");
    List<byte[]> args = new ArrayList<>();
    for (Object a : new Object[] {now, windowMillis, perAddress, account == null ? 0 : perAccount,
        count ? "count" : "peek", mark, account == null ? "" : account}) {
      args.add(String.valueOf(a).getBytes(StandardCharsets.UTF_8));
    }
    return link.eval(BEGIN, keys(address, account), args).thenApply(r -> (Long) r.get(0));
  }

  @Override
  public void forgive(String address, String account, String mark) {
    link.eval(FORGIVE, keys(address, account), List.of(bytes(mark), bytes(account == null ? "" : account)))
        .exceptionally(e -> null);
  }

  @Override
  public void clearAccount(String address, String account) {
    if (account == null) return;
    link.eval(CLEAR, keys(address, account), List.of(bytes(account))).exceptionally(e -> null);
  }

  private List<String> keys(String address, String account) {
    String a = prefix + "addr:" + address;
    // An account without a limit of its own (sign-ups) is not kept at all.
    return account == null || perAccount == Integer.MAX_VALUE ? List.of(a) : List.of(a, prefix + "acct:" + account);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
