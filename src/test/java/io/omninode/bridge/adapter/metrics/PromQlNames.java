package io.omninode.bridge.adapter.metrics;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names a PromQL expression reads: what is left once strings, matchers, ranges, grouping and functions are taken out. */
final class PromQlNames {

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern MATCHERS_AND_RANGES = Pattern.compile("\\{[^}]*}|\\[[^]]*]");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern NUMBER = Pattern.compile("(?<![A-Za-z0-9_:])\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan",
      "by", "without", "on", "ignoring", "group_left", "group_right");

  private PromQlNames() {
  }

  static Set<String> of(String expr) {
    String bare = NUMBER.matcher(GROUPING.matcher(MATCHERS_AND_RANGES.matcher(STRING.matcher(expr).replaceAll(""))
        .replaceAll(" ")).replaceAll(" ")).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(bare);
    while (identifier.find()) {
      String name = identifier.group();
      if (!KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        names.add(name);
      }
    }
    return names;
  }
}
