package dev.switchboard.auth;

import dev.switchboard.scheduling.Scheduler;
import dev.switchboard.storage.DatabaseUnavailableException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authentication flow in one place, for the HTTP endpoints, the Socket.IO handshake and the
 * command line: sign-up, login (bcrypt + limiter), token → principal (token + session), logout,
 * refresh. spec-notes/authentication.md tells the whole story.
 *
 * <p>Threading: thread-safe. {@link #login} and {@link #register} return at once and complete on
 * the bcrypt pool; the token checks are a few microseconds of HMAC and run on the caller.
 */
public final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  /**
   * The {@code Retry-After} of a 503 while the database is away: about the pool's reconnection
   * backoff (up to 5 s, spec-notes/storage.md §Faults).
   */
  public static final Duration UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(5);
  private static final String UNAVAILABLE_MESSAGE = "Service temporarily unavailable, try again later";

  private final UserStore users;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final SessionStore sessions;
  private final AuthOptions options;
  private final Scheduler clock;
  /** Throttled logins are client-caused: at most one line per 10 s, each counted (issue #14). */
  private final dev.switchboard.scheduling.RateLimitedLog throttledLog;
  private final Supplier<String> userIds;
  private final LoginThrottle loginThrottle;
  private final LoginThrottle signupThrottle;
  private final Map<LoginOutcome, LongAdder> logins = new EnumMap<>(LoginOutcome.class);
  private final Map<LoginOutcome, LongAdder> signups = new EnumMap<>(LoginOutcome.class);

  public Authenticator(UserStore users, PasswordHasher hasher, TokenService tokens, SessionStore sessions,
      AuthOptions options, Scheduler clock, Supplier<String> userIds) {
    this.users = users;
    this.hasher = hasher;
    this.tokens = tokens;
    this.sessions = sessions;
    this.options = options;
    this.clock = clock;
    this.throttledLog = new dev.switchboard.scheduling.RateLimitedLog(LOG, org.slf4j.event.Level.WARN,
        "login_throttled", clock);
    this.userIds = userIds;
    this.loginThrottle = new LoginThrottle(clock, options.maxFailuresPerAccount(), options.maxFailuresPerAddress(),
        options.failureWindow(), options.throttleEntries());
    this.signupThrottle = LoginThrottle.perAddressOnly(clock, options.registrationsPerAddress(),
        options.failureWindow(), options.throttleEntries());
    for (LoginOutcome o : LoginOutcome.values()) {
      logins.put(o, new LongAdder());
      signups.put(o, new LongAdder());
    }
  }

  public AuthOptions options() {
    return options;
  }

  public SessionStore sessions() {
    return sessions;
  }

  public UserStore users() {
    return users;
  }

  /** The login limiter (a cluster shares its counters: {@link LoginThrottle#sharedThrough}). */
  public LoginThrottle loginThrottle() {
    return loginThrottle;
  }

  /** The sign-up limiter (per address only). */
  public LoginThrottle signupThrottle() {
    return signupThrottle;
  }

  /** A successful login or sign-up: who, and their first token. */
  public record Grant(User user, TokenService.Issued token) {}

  /** The end of a login or sign-up attempt: {@code grant} on success, {@code retryAfter} on 429. */
  public record Result(LoginOutcome outcome, Grant grant, Duration retryAfter, String message) {
    static Result of(LoginOutcome o, String message) {
      return new Result(o, null, null, message);
    }
  }

  // ------------------------------------------------------------------ login

  /**
   * Checks a password. {@code username} and {@code password} were already checked as strings of
   * sane length (else the request was malformed and never got here). Unknown users and wrong
   * passwords cost the same bcrypt check and answer the same (auth-pitfalls §5).
   */
  public CompletableFuture<Result> login(String address, String username, String password) {
    String account = Usernames.canonical(username);
    LoginThrottle.Attempt attempt = loginThrottle.begin(address, account);
    if (attempt == null) {
      throttledLog.event(() -> "login throttled for an account from " + address);
      return done(logins, new Result(LoginOutcome.THROTTLED, null, loginThrottle.retryAfter(address, account),
          "Too many failed attempts, try again later"));
    }
    CompletableFuture<Boolean> check;
    Optional<User> user;
    try {
      user = users.findByName(account);
      check = hasher.verify(password, user.map(User::passwordHash).orElse(null));
    } catch (RejectedExecutionException e) {
      attempt.cancelled();
      return done(logins, Result.of(LoginOutcome.BUSY, "Server busy, try again"));
    } catch (DatabaseUnavailableException e) {
      attempt.cancelled();
      return done(logins, unavailable(e));
    }
    return check.thenApply(ok -> {
      if (!ok) {
        attempt.failed();
        return count(logins, Result.of(LoginOutcome.INVALID_CREDENTIALS, "Invalid credentials"));
      }
      attempt.succeeded();
      try {
        return count(logins, new Result(LoginOutcome.SUCCESS, grant(user.get()), null, null));
      } catch (DatabaseUnavailableException e) { // the session could not be written
        return count(logins, unavailable(e));
      }
    });
  }

  /** Counts a request refused as malformed (it never reached {@link #login}). */
  public void countMalformed() {
    logins.get(LoginOutcome.MALFORMED).increment();
  }

  /** Logins so far that ended with {@code outcome}. */
  public long logins(LoginOutcome outcome) {
    return logins.get(outcome).sum();
  }

  /** Sign-ups so far that ended with {@code outcome}. */
  public long signups(LoginOutcome outcome) {
    return signups.get(outcome).sum();
  }

  // ------------------------------------------------------------------ sign-up

  /**
   * Creates a user and logs them in. IllegalArgumentException (→ 400) when the name or password
   * breaks a rule, before anything else happens.
   */
  public CompletableFuture<Result> register(String address, String username, String password) {
    String name = Usernames.validForRegistration(username);
    Passwords.checkNew(password);
    if (!options.registration()) return done(signups, Result.of(LoginOutcome.DISABLED, "Registration is disabled"));
    LoginThrottle.Attempt attempt = signupThrottle.begin(address, null);
    if (attempt == null) {
      return done(signups, new Result(LoginOutcome.THROTTLED, null, signupThrottle.retryAfter(address, null),
          "Too many sign-ups, try again later"));
    }
    try {
      if (users.findByName(Usernames.canonical(name)).isPresent()) {
        return done(signups, Result.of(LoginOutcome.TAKEN, UserStore.NAME_TAKEN));
      }
    } catch (DatabaseUnavailableException e) {
      attempt.cancelled();
      return done(signups, unavailable(e));
    }
    CompletableFuture<String> hash;
    try {
      hash = hasher.hash(password);
    } catch (RejectedExecutionException e) {
      attempt.cancelled();
      return done(signups, Result.of(LoginOutcome.BUSY, "Server busy, try again"));
    }
    return hash.thenApply(h -> {
      User user = new User(userIds.get(), name, h, clock.currentTimeMillis());
      try {
        users.add(user);
      } catch (IllegalStateException e) { // taken meanwhile, or the user limit
        LoginOutcome o = UserStore.NAME_TAKEN.equals(e.getMessage()) ? LoginOutcome.TAKEN : LoginOutcome.BUSY;
        return count(signups, Result.of(o, e.getMessage()));
      } catch (DatabaseUnavailableException e) {
        return count(signups, unavailable(e));
      }
      LOG.info("new user signed up: " + user.username());
      try {
        return count(signups, new Result(LoginOutcome.SUCCESS, grant(user), null, null));
      } catch (DatabaseUnavailableException e) { // the user exists; logging in will work later
        return count(signups, unavailable(e));
      }
    });
  }

  // ------------------------------------------------------------------ tokens

  /**
   * {@link #authenticate} from memory only, for the handshake on a session's executor: the
   * principal, an {@link AuthException}, or null when the answer needs the database (a session or
   * user not cached, e.g. the first connection after a restart) — then ask {@link #authenticate}
   * from a worker.
   */
  public Principal authenticateCached(String token) throws AuthException {
    TokenService.Claims claims = tokens.verify(token, false);
    Session s = sessions.findCached(claims.sessionId()).orElse(null);
    if (s == null) {
      if (sessions.persistent()) return null;
      throw new AuthException(AuthFailure.SESSION_EXPIRED);
    }
    if (!s.userId().equals(claims.userId())) throw new AuthException(AuthFailure.AUTH_FAILED);
    if (users.findCachedById(s.userId()).isEmpty()) {
      if (!users.answersFromMemory() || sessions.persistent()) return null; // the worker decides, and revokes
      sessions.revokeUser(s.userId());
      throw new AuthException(AuthFailure.SESSION_EXPIRED);
    }
    return s.principal();
  }

  /**
   * The principal a token stands for: signature, claims, then a live session. May read the
   * database (a worker's call); {@link DatabaseUnavailableException} when it is away.
   */
  public Principal authenticate(String token) throws AuthException {
    TokenService.Claims claims = tokens.verify(token, false);
    Session s = sessions.find(claims.sessionId()).orElseThrow(() -> new AuthException(AuthFailure.SESSION_EXPIRED));
    if (!s.userId().equals(claims.userId())) throw new AuthException(AuthFailure.AUTH_FAILED);
    if (users.findById(s.userId()).isEmpty()) {
      // Removed (`user remove`, maybe by another process): its sessions end here, and at the
      // latest at the store's next sweep for sockets that are already connected.
      sessions.revokeUser(s.userId());
      throw new AuthException(AuthFailure.SESSION_EXPIRED);
    }
    return s.principal();
  }

  /**
   * The live session a token names, from memory only (no I/O: {@link SessionSockets} asks on a
   * socket's executor, just after the handshake cached it).
   */
  public Optional<Session> session(String sessionId) {
    return sessions.findCached(sessionId);
  }

  /** Ends the token's session (even if the token has just expired). False if it was gone already. */
  public boolean logout(String token) throws AuthException {
    TokenService.Claims claims = tokens.verify(token, true);
    return sessions.revoke(claims.sessionId(), SessionEnd.LOGOUT);
  }

  /** A fresh token for the same, still live session; its expiry moves, capped by the session's age. */
  public Grant refresh(String token) throws AuthException {
    Principal p = authenticate(token);
    Session s = sessions.find(p.sessionId()).orElseThrow(() -> new AuthException(AuthFailure.SESSION_EXPIRED));
    long cap = s.createdAtMillis() + options.sessionMaxAge().toMillis();
    long exp = Math.min(tokens.expiryFromNow(), cap);
    if (exp <= clock.currentTimeMillis()) throw new AuthException(AuthFailure.SESSION_EXPIRED);
    Session extended = sessions.extend(s.id(), exp).orElseThrow(() -> new AuthException(AuthFailure.SESSION_EXPIRED));
    User user = users.findById(p.userId()).orElseThrow(() -> new AuthException(AuthFailure.SESSION_EXPIRED));
    return new Grant(user, tokens.issue(extended, exp));
  }

  private Grant grant(User user) {
    long exp = tokens.expiryFromNow();
    Session s = sessions.create(user, exp);
    return new Grant(user, tokens.issue(s, exp));
  }

  private static Result unavailable(DatabaseUnavailableException e) {
    LOG.warn(e.getMessage());
    return new Result(LoginOutcome.UNAVAILABLE, null, UNAVAILABLE_RETRY_AFTER, UNAVAILABLE_MESSAGE);
  }

  private static Result count(Map<LoginOutcome, LongAdder> counters, Result r) {
    counters.get(r.outcome()).increment();
    return r;
  }

  private static CompletableFuture<Result> done(Map<LoginOutcome, LongAdder> counters, Result r) {
    return CompletableFuture.completedFuture(count(counters, r));
  }
}
