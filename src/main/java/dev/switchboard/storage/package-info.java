/**
 * Storage: users, sessions and message history in a real database — SQLite in one file by
 * default, PostgreSQL for several nodes — on one JDBC code path. {@code spec-notes/storage.md}
 * has the schema and the reasons; this package is what it describes. It sits below {@code auth}
 * and {@code chat} and knows neither: it stores plain records, and the rules (canonical names,
 * bcrypt, who may read a room) stay with its callers.
 *
 * <ul>
 *   <li>{@link dev.switchboard.storage.Database} — opened from a {@link
 *       dev.switchboard.storage.DatabaseUrl} ({@code DATABASE_URL}, or a file under {@code
 *       DATA_DIR}); migrates the schema ({@code Migrations}) and hands out the repositories.
 *   <li>{@link dev.switchboard.storage.UserRepository}, {@link
 *       dev.switchboard.storage.SessionRepository}, {@link
 *       dev.switchboard.storage.MessageRepository} — parameterised statements over plain records
 *       ({@link dev.switchboard.storage.UserRecord}, {@link dev.switchboard.storage.SessionRecord},
 *       {@link dev.switchboard.storage.StoredMessage} in a {@link
 *       dev.switchboard.storage.Conversation}).
 *   <li>{@link dev.switchboard.storage.UsersFileImport} — the earlier {@code users.json}, imported
 *       once.
 *   <li>Faults: {@link dev.switchboard.storage.DatabaseOpenException} at open, {@link
 *       dev.switchboard.storage.DatabaseUnavailableException} at run time (→ 503), both naming the
 *       database with its password masked; {@link dev.switchboard.storage.StorageException} for
 *       the rest.
 * </ul>
 *
 * <pre>{@code
 * DatabaseUrl url = env("DATABASE_URL") == null
 *     ? DatabaseUrl.sqlite(dataDir.resolve("switchboard.db"))
 *     : DatabaseUrl.parse(env("DATABASE_URL"));
 * try (Database db = Database.open(url)) {
 *   UsersFileImport.run(db, dataDir.resolve("users.json"), Usernames::canonical, clock.currentTimeMillis());
 *   db.sessions().create(new SessionRecord(sid, userId, now, now + ttl));
 * }
 * }</pre>
 *
 * <p>Threading: everything here blocks on JDBC; callers use a worker or the bcrypt pool, never an
 * I/O thread or a session's serial executor.
 */
package dev.switchboard.storage;
