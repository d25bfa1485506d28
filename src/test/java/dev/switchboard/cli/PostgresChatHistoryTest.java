package dev.switchboard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.storage.DatabaseUrl;
import dev.switchboard.testing.Await;
import dev.switchboard.testing.LogLines;
import dev.switchboard.testing.PostgresPerClass;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/**
 * {@link ChatHistoryContract} on a real PostgreSQL (a new database per test), and what a server
 * that can go away adds: history answers an error while it is down, the chat goes on, and both
 * recover by themselves.
 */
class PostgresChatHistoryTest extends ChatHistoryContract {
  @RegisterExtension static final PostgresPerClass postgres = new PostgresPerClass();

  @Override
  ServerConfig config(Path dataDir) throws Exception {
    return ServerConfig.forTests(dataDir).withDatabase(DatabaseUrl.parse(postgres.server().createDatabase()));
  }

  @Test
  void whileTheDatabaseIsDownHistoryAnswersAnErrorAndTheChatGoesOn() throws Exception {
    ChatServer server = start(config());
    User alice = user(server, "alice");
    User bob = user(server, "bob");
    say(alice, "general", "before");
    assertEquals(List.of("before"), texts(history(alice, "room", "general")), "stored before the outage");
    try (LogLines log = LogLines.of("dev.switchboard.chat.HistoryWriter")) {
      postgres.server().stop();
      try {
        assertEquals(refused("History is unavailable, try again later"), history(alice, "room", "general"));
        assertEquals("get-history", alice.socket().awaitEvent("error").path("event").asText());
        bob.socket().takeEvents("new-message");
        say(alice, "general", "during");
        assertEquals("during", bob.socket().awaitEvent("new-message", m -> m.path("message").asText().equals("during"))
            .path("message").asText(), "delivered while the database is away");
        // Its write fails once the pool gives up on a connection (its timeout); started earlier,
        // the database could take the write after all.
        Await.until("the write to fail", Duration.ofSeconds(20),
            () -> log.count(Level.WARNING, "history: messages are delivered but not stored") == 1);
      } finally {
        postgres.server().start();
      }
      Await.until("history readable again", Duration.ofSeconds(30), () -> uncheckedHistory(alice).path("ok").asBoolean());
      say(alice, "general", "after");
      JsonNode page = history(alice, "room", "general");
      assertEquals(List.of("before", "after"), texts(page), "the message of the outage was delivered, not stored");
      assertEquals(1, log.count(Level.WARNING, "history: messages are delivered but not stored"), log.lines().toString());
      assertTrue(log.count(Level.INFO, "messages are stored again; 1 delivered meanwhile were not stored") == 1,
          log.lines().toString());
    }
  }

  @Test
  void twoNodesOnOneDatabaseShareTheHistoryAndNeverAnId() throws Exception {
    ServerConfig c = config();
    ChatServer a = start(c);
    ChatServer b = start(c); // another node: its own node number, the same tables
    User alice = user(a, "alice");
    User bob = user(b, "bob");
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 1; i <= 4; i++) { // the clock stands still: only the node numbers keep the ids apart
      assertTrue(ids.add(say(alice, "general", "from a " + i)));
      assertTrue(ids.add(say(bob, "general", "from b " + i)));
    }
    // Read-your-writes holds per node: a read on A waits for A's writer to store alice's, one on B
    // for B's writer to store bob's; another node sees a message once its own writer stored it, so
    // A is read again after B's read.
    history(alice, "room", "general");
    JsonNode onB = history(bob, "room", "general");
    JsonNode onA = history(alice, "room", "general");
    assertEquals(8, onB.path("messages").size(), onB.toString());
    assertEquals(texts(onA), texts(onB), "one history, read from either node");
  }
}
