package dev.switchboard.auth;

import java.time.Duration;

/**
 * Every limit of the authentication layer, with its default and the reason it exists.
 *
 * @param issuer the {@code iss} we write and require (RFC 8725 §3.8)
 * @param audience the {@code aud} we write and require: a token for another service is refused
 * @param tokenTtl lifetime of one token (default 1 h); a refresh issues a new one
 * @param clockSkew tolerance on {@code exp} and {@code iat} (5 s): enough for clocks of servers
 *     behind one load balancer, small enough that "expired" means expired
 * @param expiryWarning sockets hear {@code token-expiring} when less than this is left (5 min)
 * @param sessionMaxAge a session cannot be refreshed past this age (7 days): a stolen token cannot
 *     be kept alive for ever
 * @param maxSessions live sessions kept in memory (100 000): the table is bounded, the oldest
 *     session is ended when it is full
 * @param maxSessionsPerUser a user's oldest session ends when a new one would pass this (20)
 * @param maxFailuresPerAccount failed logins per account within {@code failureWindow} before 429 (5)
 * @param maxFailuresPerAddress failed logins per client address within {@code failureWindow} (50, ten
 *     times the per-account limit: an account is blocked after its own 5, so it can never bring
 *     its address to the limit and lock out the other users behind that address — a NAT, an
 *     office, a proxy — while one address spraying many accounts still gets only 50 guesses)
 * @param failureWindow the sliding window of the two limits above (15 min)
 * @param throttleEntries addresses and accounts the limiter remembers (10 000 each, least recently
 *     used forgotten first): its memory is bounded whatever an attacker sends
 * @param registration whether {@code POST /auth/register} is open
 * @param registrationsPerAddress sign-ups per client address within {@code failureWindow} (100):
 *     each costs a bcrypt hash and a stored user
 * @param maxTokenChars longer tokens are refused before parsing (1024): ours are at most about
 *     360 characters (a 32-character name and 20-character ids; {@code TokenServiceTest} measures
 *     it), so the cap leaves room for longer ids while a refused token costs one length check
 *     (RFC 8725 §3.3; CVE-2025-53864 was a nimbus stack overflow on a large nested payload)
 * @param maxBodyBytes request bodies of the auth endpoints (4096)
 */
public record AuthOptions(
    String issuer,
    String audience,
    Duration tokenTtl,
    Duration clockSkew,
    Duration expiryWarning,
    Duration sessionMaxAge,
    int maxSessions,
    int maxSessionsPerUser,
    int maxFailuresPerAccount,
    int maxFailuresPerAddress,
    Duration failureWindow,
    int throttleEntries,
    boolean registration,
    int registrationsPerAddress,
    int maxTokenChars,
    int maxBodyBytes) {

  public static final AuthOptions DEFAULTS = new Builder().build();

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some options: {@code AuthOptions.DEFAULTS.toBuilder().tokenTtl(d).build()}. */
  public static final class Builder {
    private String issuer = "switchboard";
    private String audience = "switchboard-chat";
    private Duration tokenTtl = Duration.ofHours(1);
    private Duration clockSkew = Duration.ofSeconds(5);
    private Duration expiryWarning = Duration.ofMinutes(5);
    private Duration sessionMaxAge = Duration.ofDays(7);
    private int maxSessions = 100_000;
    private int maxSessionsPerUser = 20;
    private int maxFailuresPerAccount = 5;
    private int maxFailuresPerAddress = 50;
    private Duration failureWindow = Duration.ofMinutes(15);
    private int throttleEntries = 10_000;
    private boolean registration = true;
    private int registrationsPerAddress = 100;
    private int maxTokenChars = 1024;
    private int maxBodyBytes = 4096;

    Builder() {}

    private Builder(AuthOptions o) {
      issuer = o.issuer;
      audience = o.audience;
      tokenTtl = o.tokenTtl;
      clockSkew = o.clockSkew;
      expiryWarning = o.expiryWarning;
      sessionMaxAge = o.sessionMaxAge;
      maxSessions = o.maxSessions;
      maxSessionsPerUser = o.maxSessionsPerUser;
      maxFailuresPerAccount = o.maxFailuresPerAccount;
      maxFailuresPerAddress = o.maxFailuresPerAddress;
      failureWindow = o.failureWindow;
      throttleEntries = o.throttleEntries;
      registration = o.registration;
      registrationsPerAddress = o.registrationsPerAddress;
      maxTokenChars = o.maxTokenChars;
      maxBodyBytes = o.maxBodyBytes;
    }

    public Builder tokenTtl(Duration d) {
      tokenTtl = d;
      return this;
    }

    public Builder expiryWarning(Duration d) {
      expiryWarning = d;
      return this;
    }

    public Builder sessionMaxAge(Duration d) {
      sessionMaxAge = d;
      return this;
    }

    public Builder sessions(int total, int perUser) {
      maxSessions = total;
      maxSessionsPerUser = perUser;
      return this;
    }

    public Builder loginLimits(int perAccount, int perAddress, Duration window) {
      maxFailuresPerAccount = perAccount;
      maxFailuresPerAddress = perAddress;
      failureWindow = window;
      return this;
    }

    public Builder throttleEntries(int n) {
      throttleEntries = n;
      return this;
    }

    public Builder registration(boolean on) {
      registration = on;
      return this;
    }

    public Builder registrationsPerAddress(int n) {
      registrationsPerAddress = n;
      return this;
    }

    public AuthOptions build() {
      if (tokenTtl.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("tokenTtl must be at least 1 s");
      if (maxFailuresPerAccount < 1 || maxFailuresPerAddress < 1) throw new IllegalArgumentException("login limits must be at least 1");
      return new AuthOptions(issuer, audience, tokenTtl, clockSkew, expiryWarning, sessionMaxAge, maxSessions,
          maxSessionsPerUser, maxFailuresPerAccount, maxFailuresPerAddress, failureWindow, throttleEntries,
          registration, registrationsPerAddress, maxTokenChars, maxBodyBytes);
    }
  }
}
