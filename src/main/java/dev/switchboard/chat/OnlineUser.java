package dev.switchboard.chat;

/** A user as presence lists them: the identity of their first live connection. Immutable. */
record OnlineUser(String userId, String username) {}
