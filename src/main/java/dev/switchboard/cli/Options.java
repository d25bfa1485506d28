package dev.switchboard.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line flags ({@code --name value} or {@code --name=value}) with environment fallbacks.
 * A flag wins over the environment variable, which wins over the default.
 */
final class Options {
  private final Map<String, String> flags = new HashMap<>();
  /** Flags given with no value ({@code --recovery}, or {@code --port} at the end): switches, or a mistake. */
  private final java.util.Set<String> bare = new java.util.HashSet<>();
  /** Flag names a command has asked for, known or not given. */
  private final java.util.Set<String> asked = new java.util.HashSet<>();
  private final Map<String, String> env;

  Options(List<String> args, Map<String, String> env) {
    this.env = env;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument: " + a + " (see --help)");
      String name = a.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        flags.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        flags.put(name, args.get(++i));
      } else {
        flags.put(name, "true");
        bare.add(name);
      }
    }
  }

  /**
   * The value of {@code --flag}, else of {@code envName}, else {@code defaultValue}.
   *
   * @throws IllegalArgumentException the flag was given without a value ({@code --port} last, or
   *     followed by another flag): the message says what it expects ({@code --port N})
   */
  String get(String flag, String envName, String defaultValue) {
    if (bare.contains(flag)) {
      asked.add(flag);
      throw new IllegalArgumentException("--" + flag + " needs a value: " + Help.synopsis(flag));
    }
    return value(flag, envName, defaultValue);
  }

  /**
   * An on/off option: {@code --flag} alone means on, {@code --flag off} (or {@code =off}) is
   * given, else {@code envName}, else {@code defaultValue}; the text is checked by the caller.
   */
  String getSwitch(String flag, String envName, String defaultValue) {
    if (bare.contains(flag)) {
      asked.add(flag);
      return "on";
    }
    return value(flag, envName, defaultValue);
  }

  private String value(String flag, String envName, String defaultValue) {
    asked.add(flag);
    String v = flags.get(flag);
    if (v == null && envName != null) v = env.get(envName);
    return v == null ? defaultValue : v;
  }

  int getInt(String flag, String envName, int defaultValue) {
    String v = get(flag, envName, null);
    if (v == null) return defaultValue;
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + flag + " must be a number, not \"" + v + "\"");
    }
  }

  /** The flags asked for so far, by name without {@code --} (for the test that --help lists them all). */
  java.util.Set<String> asked() {
    return java.util.Collections.unmodifiableSet(asked);
  }

  /**
   * Refuses a flag the command never asked for, so that a misspelt option ({@code --prot 80}) is
   * an error instead of a server silently started with the default. Call after reading them all.
   */
  void rejectUnknown() {
    for (String name : new java.util.TreeSet<>(flags.keySet())) {
      if (!asked.contains(name)) throw new IllegalArgumentException("unknown option: --" + name + " (see --help)");
    }
  }
}
