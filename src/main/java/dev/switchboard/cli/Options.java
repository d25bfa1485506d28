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
  /** Flag names a command has asked for, known or not given. */
  private final java.util.Set<String> asked = new java.util.HashSet<>();
  private final Map<String, String> env;

  Options(List<String> args, Map<String, String> env) {
    this.env = env;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) throw new IllegalArgumentException("Unexpected argument: " + a);
      String name = a.substring(2);
      int eq = name.indexOf('=');
      if (eq >= 0) {
        flags.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        flags.put(name, args.get(++i));
      } else {
        flags.put(name, "true");
      }
    }
  }

  String get(String flag, String envName, String defaultValue) {
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
      throw new IllegalArgumentException("--" + flag + " must be a number, got: " + v);
    }
  }

  /**
   * Refuses a flag the command never asked for, so that a misspelt option ({@code --prot 80}) is
   * an error instead of a server silently started with the default. Call after reading them all.
   */
  void rejectUnknown() {
    for (String name : new java.util.TreeSet<>(flags.keySet())) {
      if (!asked.contains(name)) throw new IllegalArgumentException("Unknown option: --" + name + " (see --help)");
    }
  }
}
