package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CredentialRulesTest {
  static Stream<Arguments> canonicalNames() {
    return Stream.of(
        Arguments.of("alice", "alice"),
        Arguments.of("Alice", "alice"),
        Arguments.of("  alice \t", "alice"),
        Arguments.of("\uff41\uff4c\uff49\uff43\uff45", "alice"), // fullwidth, NFKC (auth-pitfalls §6)
        Arguments.of("ALICE.B-c_d", "alice.b-c_d"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("canonicalNames")
  void canonicalFormFoldsCaseWidthAndSpace(String name, String canonical) {
    assertEquals(canonical, Usernames.canonical(name));
  }

  static Stream<Arguments> badNames() {
    return Stream.of(
        Arguments.of("ab", "too short"),
        Arguments.of("a".repeat(33), "too long"),
        Arguments.of("ali ce", "space"),
        Arguments.of("alice<script>", "markup"),
        Arguments.of("\uff41\uff4c\uff49\uff43\uff45", "fullwidth look-alike"),
        Arguments.of("al\u202eice", "bidi override"),
        Arguments.of("al\u0000ice", "NUL"),
        Arguments.of("", "empty"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badNames")
  void signUpRefusesNamesOutsideTheAlphabet(String name, String why) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Usernames.validForRegistration(name));
    assertEquals("username must be 3-32 characters: letters, digits, '_', '-' or '.'", e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodNames")
  void signUpKeepsTheNameAsTyped(String name, String stored) {
    assertEquals(stored, Usernames.validForRegistration(name));
  }

  static Stream<Arguments> goodNames() {
    return Stream.of(Arguments.of("Alice", "Alice"), Arguments.of(" bob.smith ", "bob.smith"),
        Arguments.of("a_b-c", "a_b-c"), Arguments.of("x".repeat(32), "x".repeat(32)));
  }

  static Stream<Arguments> badPasswords() {
    return Stream.of(
        Arguments.of("short", "password must be at least 8 characters"),
        Arguments.of("\ud83d\ude00".repeat(7), "password must be at least 8 characters"), // 7 code points
        Arguments.of("a".repeat(73), "password must be at most 72 bytes"),
        // 18 four-byte emoji are 72 bytes (fine); one more byte is over, though only 19 "characters".
        Arguments.of("\ud83d\ude00".repeat(18) + "a", "password must be at most 72 bytes"),
        Arguments.of("é".repeat(37), "password must be at most 72 bytes"), // 74 bytes, 37 chars
        Arguments.of("password\u0000tail", "password must not contain NUL characters"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("badPasswords")
  void newPasswordsBreakingARuleAreRefusedNotTruncated(String password, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Passwords.checkNew(password));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goodPasswords")
  void passwordsUpTo72BytesAreAccepted(String password) {
    assertDoesNotThrow(() -> Passwords.checkNew(password));
  }

  static Stream<String> goodPasswords() {
    return Stream.of("12345678", "a".repeat(72), "\ud83d\ude00".repeat(18), "é".repeat(36), "correct horse battery staple");
  }
}
