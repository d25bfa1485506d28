package dev.switchboard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL harness itself: the server runs as an unprivileged user, asks for the password,
 * stops, and comes back on the same port with its data.
 */
class PostgresServerTest {
  @Test
  void servesAsAnUnprivilegedUserStopsAndComesBackWithItsData() throws Exception {
    try (PostgresServer pg = PostgresServer.create()) {
      String url = pg.createDatabase();
      assertEquals("postgresql://switchboard:" + pg.password() + "@127.0.0.1:" + pg.port() + "/test_1", url);
      try (Connection c = pg.connect("test_1"); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE kept (v TEXT)");
        st.execute("INSERT INTO kept VALUES ('still here')");
      }
      long owner = postmasterUid(pg);
      assertNotEquals(0, owner, "initdb and postgres never run as root");

      pg.stop();
      assertFalse(pg.accepting());
      assertThrows(SQLException.class, () -> pg.connect("test_1").close());

      pg.start();
      assertTrue(pg.accepting());
      try (Connection c = pg.connect("test_1"); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
        assertTrue(rs.next());
        assertEquals("still here", rs.getString(1));
      }
    }
  }

  /** The uid of the server process serving a connection (read while the connection is open). */
  private static long postmasterUid(PostgresServer pg) throws Exception {
    try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      long pid = rs.getLong(1);
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("Uid:")) return Long.parseLong(line.split("\\s+")[1]);
      }
      throw new AssertionError("no Uid line for " + pid);
    }
  }
}
