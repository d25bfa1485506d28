package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.testing.FakeScheduler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenServiceTest {
  private static final byte[] KEY = "k".repeat(32).getBytes(StandardCharsets.UTF_8);
  private final FakeScheduler clock = new FakeScheduler();
  private final TokenService tokens = new TokenService(JwtSecret.of(KEY), clock, AuthOptions.DEFAULTS);
  private final Session session = new Session("s1", "u1", "alice", clock.currentTimeMillis(), 0);

  private String issue() {
    return tokens.issue(session, tokens.expiryFromNow()).token();
  }

  private AuthFailure refusal(String token) {
    return assertThrows(AuthException.class, () -> tokens.verify(token, false)).failure();
  }

  @Test
  void aTokenWeIssuedVerifiesWithItsClaims() throws Exception {
    TokenService.Claims c = tokens.verify(issue(), false);
    assertEquals("u1", c.userId());
    assertEquals("s1", c.sessionId());
    assertEquals(Duration.ofHours(1).toMillis(), c.expiresAtMillis() - c.issuedAtMillis());
  }

  @Test
  void expiryHasAFiveSecondSkewAndThenSaysExpired() throws Exception {
    String t = issue();
    clock.advanceBy(Duration.ofHours(1).plusSeconds(4));
    tokens.verify(t, false); // within the documented skew
    clock.advanceBy(Duration.ofSeconds(2));
    assertEquals(AuthFailure.TOKEN_EXPIRED, refusal(t));
    tokens.verify(t, true); // logout still accepts it
  }

  @Test
  void aMissingTokenIsRequiredNotFailed() {
    assertEquals(AuthFailure.TOKEN_REQUIRED, refusal(null));
    assertEquals(AuthFailure.TOKEN_REQUIRED, refusal(""));
  }

  static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  /** A token signed with {@code key} under {@code alg}, with our claims changed by {@code edit}. */
  static String forge(JWSAlgorithm alg, byte[] key, JOSEObjectType type, UnaryOperator<JWTClaimsSet.Builder> edit,
      long nowMillis) throws Exception {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer("switchboard").audience("switchboard-chat")
        .subject("u1").claim("sid", "s1").jwtID("j1")
        .issueTime(new Date(nowMillis)).expirationTime(new Date(nowMillis + 600_000));
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(type).build(), edit.apply(b).build());
    jwt.sign(new MACSigner(key));
    return jwt.serialize();
  }

  static Stream<Arguments> forgeries() throws Exception {
    long now = new FakeScheduler().currentTimeMillis();
    JOSEObjectType ours = TokenService.TYPE;
    byte[] other = "o".repeat(32).getBytes(StandardCharsets.UTF_8);
    byte[] longKey = "k".repeat(64).getBytes(StandardCharsets.UTF_8);
    String claims = b64("{\"iss\":\"switchboard\",\"aud\":\"switchboard-chat\",\"sub\":\"u1\",\"sid\":\"s1\",\"jti\":\"j\","
        + "\"iat\":" + now / 1000 + ",\"exp\":" + (now / 1000 + 600) + "}");
    String good = forge(JWSAlgorithm.HS256, KEY, ours, b -> b, now);
    String[] parts = good.split("\\.");
    return Stream.of(
        Arguments.of("garbage", "garbage"),
        Arguments.of("three dots", "a.b.c"),
        Arguments.of("alg none, RFC 8725 §2.1", b64("{\"alg\":\"none\"}") + "." + claims + "."),
        Arguments.of("alg none with our signature", b64("{\"alg\":\"none\"}") + "." + parts[1] + "." + parts[2]),
        Arguments.of("HS512 header", forge(JWSAlgorithm.HS512, longKey, ours, b -> b, now)),
        Arguments.of("HS384 header", forge(JWSAlgorithm.HS384, longKey, ours, b -> b, now)),
        Arguments.of("RS256 header, our MAC", b64("{\"alg\":\"RS256\",\"typ\":\"sb-access+jwt\"}") + "." + parts[1] + "." + parts[2]),
        Arguments.of("another key", forge(JWSAlgorithm.HS256, other, ours, b -> b, now)),
        Arguments.of("payload edited", parts[0] + "." + b64("{\"sub\":\"admin\"}") + "." + parts[2]),
        Arguments.of("signature stripped", parts[0] + "." + parts[1] + "."),
        Arguments.of("wrong type (RFC 8725 §3.11)", forge(JWSAlgorithm.HS256, KEY, JOSEObjectType.JWT, b -> b, now)),
        Arguments.of("no type", forge(JWSAlgorithm.HS256, KEY, null, b -> b, now)),
        Arguments.of("wrong issuer", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.issuer("evil"), now)),
        Arguments.of("wrong audience", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.audience("other-service"), now)),
        Arguments.of("two audiences", forge(JWSAlgorithm.HS256, KEY, ours,
            b -> b.audience(java.util.List.of("switchboard-chat", "x")), now)),
        Arguments.of("no subject", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.subject(null), now)),
        Arguments.of("no session", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.claim("sid", null), now)),
        Arguments.of("session not a string", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.claim("sid", 7), now)),
        Arguments.of("no jti", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.jwtID(null), now)),
        Arguments.of("no exp", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.expirationTime(null), now)),
        Arguments.of("no iat", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.issueTime(null), now)),
        Arguments.of("iat in the future", forge(JWSAlgorithm.HS256, KEY, ours,
            b -> b.issueTime(new Date(now + 60_000)).expirationTime(new Date(now + 120_000)), now)),
        Arguments.of("lifetime longer than we issue", forge(JWSAlgorithm.HS256, KEY, ours,
            b -> b.expirationTime(new Date(now + Duration.ofDays(30).toMillis())), now)),
        Arguments.of("nbf in the future", forge(JWSAlgorithm.HS256, KEY, ours, b -> b.notBeforeTime(new Date(now + 60_000)), now)),
        Arguments.of("longer than 4096 characters", good + "A".repeat(4096)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void everythingButOurOwnTokensFailsTheSameWay(String what, String token) {
    assertEquals(AuthFailure.AUTH_FAILED, refusal(token));
  }

  @Test
  void criticalHeaderParametersAreRefused() throws Exception {
    JWTClaimsSet c = new JWTClaimsSet.Builder().issuer("switchboard").audience("switchboard-chat").subject("u1")
        .claim("sid", "s1").jwtID("j").issueTime(new Date(clock.currentTimeMillis()))
        .expirationTime(new Date(clock.currentTimeMillis() + 60_000)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TokenService.TYPE)
        .criticalParams(Set.of("exp")).customParam("exp", 1).build(), c);
    jwt.sign(new MACSigner(KEY));
    assertEquals(AuthFailure.AUTH_FAILED, refusal(jwt.serialize()));
  }

  @Test
  void anExpiredForgeryIsStillJustAFailure() throws Exception {
    // Only a token with our MAC may learn that it expired: no oracle for forgers.
    long longAgo = clock.currentTimeMillis() - Duration.ofDays(1).toMillis();
    String forged = forge(JWSAlgorithm.HS256, "o".repeat(32).getBytes(StandardCharsets.UTF_8), TokenService.TYPE, b -> b, longAgo);
    assertEquals(AuthFailure.AUTH_FAILED, refusal(forged));
    String ours = forge(JWSAlgorithm.HS256, KEY, TokenService.TYPE, b -> b, longAgo);
    assertEquals(AuthFailure.TOKEN_EXPIRED, refusal(ours));
  }
}
