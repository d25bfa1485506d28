package dev.switchboard.storage;

/**
 * A row of {@code messages}.
 *
 * @param id the database-generated id: unique across restarts and nodes, increasing in the order
 *     the database assigned it (spec-notes/storage.md §Ids)
 * @param conversation the room or the private pair
 * @param senderId the sender's user id
 * @param senderName the sender's name when it was sent
 * @param text the text as given
 * @param sentAtMillis epoch milliseconds
 */
public record StoredMessage(long id, Conversation conversation, String senderId, String senderName, String text,
    long sentAtMillis) {}
