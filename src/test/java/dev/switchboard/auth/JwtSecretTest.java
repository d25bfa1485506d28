package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtSecretTest {
  @TempDir Path dir;

  @Test
  void aSecretShorterThan256BitsIsRefusedWithoutRepeatingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JwtSecret.load("hunter2-short", dir));
    assertEquals("JWT_SECRET must be at least 32 bytes (256 bits); generate one with: openssl rand -base64 48", e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  void theEnvironmentWinsAndNothingIsWritten() throws Exception {
    JwtSecret s = JwtSecret.load("x".repeat(32), dir);
    assertEquals(JwtSecret.of("x".repeat(32).getBytes()), s);
    assertFalse(Files.exists(dir.resolve("jwt-secret")));
  }

  @Test
  void withoutTheEnvironmentAKeyIsGeneratedOnceAndKept() throws Exception {
    JwtSecret first = JwtSecret.load(null, dir);
    Path file = dir.resolve("jwt-secret");
    assertTrue(Files.exists(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(first, JwtSecret.load("", dir));
    assertNotEquals(first, JwtSecret.load(null, Files.createDirectory(dir.resolve("other"))));
  }

  @Test
  void aDamagedKeyFileStopsTheServerWithAnInstruction() throws Exception {
    Files.writeString(dir.resolve("jwt-secret"), "c2hvcnQ=\n"); // "short"
    IOException e = assertThrows(IOException.class, () -> JwtSecret.load(null, dir));
    assertTrue(e.getMessage().endsWith("holds a key shorter than 32 bytes; delete it to generate a new one"), e.getMessage());
  }

  @Test
  void aGeneratedKeyIsWrittenOnlyWhenSaved() throws Exception {
    Path data = dir.resolve("data");
    JwtSecret fresh = JwtSecret.readOrGenerate(null, data);
    assertFalse(Files.exists(data), "nothing written before save (the server binds its port first)");
    assertTrue(fresh.save(data));
    assertEquals(fresh, JwtSecret.readOrGenerate(null, data));
    assertTrue(JwtSecret.readOrGenerate(null, data).save(data), "a key read from the file saves as nothing");
  }

  @Test
  void aKeyWrittenMeanwhileByAnotherServerWinsTheRace() throws Exception {
    JwtSecret ours = JwtSecret.readOrGenerate(null, dir);
    JwtSecret theirs = JwtSecret.load(null, dir); // the other server saved first
    assertFalse(ours.save(dir), "ours must be given up for the file's");
    assertEquals(theirs, JwtSecret.load(null, dir));
    assertEquals(theirs, JwtSecret.readOrGenerate(null, dir));
  }

  @Test
  void toStringNeverShowsTheKey() {
    assertEquals("JwtSecret{32 bytes}", JwtSecret.of("y".repeat(32).getBytes()).toString());
  }
}
