package dev.switchboard.cli;

import java.nio.file.Path;

/** {@link ChatHistoryContract} on the default database: SQLite in the data directory. */
class SqliteChatHistoryTest extends ChatHistoryContract {
  @Override
  ServerConfig config(Path dataDir) {
    return ServerConfig.forTests(dataDir);
  }
}
