package dev.switchboard.chat;

/**
 * The rules for a message's text (chat.md §Client → server, "Messages"). Pure; any thread.
 *
 * <p>The text is relayed as typed, only trimmed: it is never HTML-escaped here, because the page
 * inserts it as text (auth-pitfalls §7: escaping on the server invites {@code innerHTML} on the
 * client).
 */
final class MessageText {
  static final String EMPTY = "Message cannot be empty";
  static final String INVALID_CHARACTERS = "Message contains invalid characters";

  private MessageText() {}

  static String tooLong(int maxCodePoints) {
    return "Message must be at most " + maxCodePoints + " characters";
  }

  /**
   * The trimmed text, or a refusal. Checks run in this order: empty, too long, invalid characters,
   * so that a huge hostile string is refused after one length count.
   */
  static String parse(String raw, int maxCodePoints) throws ChatRefusal {
    String s = JsWhitespace.trim(raw);
    if (s.isEmpty()) throw new ChatRefusal(EMPTY);
    // Counted in code points, as a user sees characters: an emoji is one, not two UTF-16 units.
    if (s.length() > maxCodePoints && s.codePointCount(0, s.length()) > maxCodePoints) {
      throw new ChatRefusal(tooLong(maxCodePoints));
    }
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      // codePointAt returns a lone surrogate as itself: a well-formed pair is one supplementary cp.
      if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) throw new ChatRefusal(INVALID_CHARACTERS);
      if (Character.getType(cp) == Character.CONTROL && cp != '\t' && cp != '\n') {
        throw new ChatRefusal(INVALID_CHARACTERS);
      }
      i += Character.charCount(cp);
    }
    return s;
  }
}
