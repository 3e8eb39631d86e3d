package io.vivace.common.traceql;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a TraceQL regular expression (Go RE2 syntax) into a {@link Pattern} that must match the whole value, the
 * way TraceQL anchors {@code =~} since Tempo 2.7 ({@code ^(?s:re)$}: {@code .} also matches a newline).
 *
 * <p>RE2 is mostly a subset of Java's syntax. The differences handled here: {@code (?P<name>} groups, POSIX classes
 * {@code [[:alpha:]]}, Unicode script names {@code \p{Greek}}, and characters that are literal inside an RE2
 * class but operators in Java ({@code [} and {@code &&}). Constructs RE2 rejects (back-references, look-around,
 * possessive quantifiers) are rejected rather than given Java's meaning.
 */
final class GoRegex {

    private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"),
            Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
            Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"),
            Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\p{Space}"), Map.entry("upper", "\\p{Upper}"),
            Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));

    private GoRegex() {
    }

    /**
     * Whether {@code pattern} matches all of {@code value}. Java's engine backtracks, so a hostile pattern such as
     * {@code (a+)+b} could run for minutes where RE2 is linear; the match is abandoned (and the query fails) once
     * it has read the value's characters far more often than any sane pattern does.
     */
    static boolean matches(Pattern pattern, String value) {
        return pattern.matcher(new BudgetedChars(value, Math.max(MIN_READ_BUDGET, READS_PER_CHAR * (long) value.length())))
                .matches();
    }

    private static final long MIN_READ_BUDGET = 1_000_000;
    private static final long READS_PER_CHAR = 1_000;

    /** A string view that counts character reads and fails past a budget. */
    private static final class BudgetedChars implements CharSequence {
        private final String value;
        private final long[] remaining;

        BudgetedChars(String value, long budget) {
            this(value, new long[] {budget});
        }

        private BudgetedChars(String value, long[] remaining) {
            this.value = value;
            this.remaining = remaining;
        }

        @Override
        public char charAt(int index) {
            if (--remaining[0] < 0) {
                throw new TraceQLRuntimeException("regular expression too expensive to evaluate (excessive backtracking)");
            }
            return value.charAt(index);
        }

        @Override
        public int length() {
            return value.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BudgetedChars(value.substring(start, end), remaining);
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /** @throws PatternSyntaxException when the expression is not valid RE2 */
    static Pattern compile(String regex) {
        return Pattern.compile(translate(regex), Pattern.DOTALL);
    }

    static String translate(String re) {
        StringBuilder out = new StringBuilder(re.length() + 8);
        boolean inClass = false;
        int i = 0;
        int n = re.length();
        while (i < n) {
            char c = re.charAt(i);
            if (c == '\\') {
                if (i + 1 >= n) {
                    throw error("trailing backslash at end of expression", re, i);
                }
                char e = re.charAt(i + 1);
                if (e >= '1' && e <= '9') {
                    throw error("invalid escape sequence (back-references are not supported)", re, i);
                }
                if ((e == 'p' || e == 'P') && i + 2 < n && re.charAt(i + 2) == '{') {
                    int close = re.indexOf('}', i + 3);
                    if (close < 0) {
                        throw error("invalid character class range", re, i);
                    }
                    String name = re.substring(i + 3, close);
                    boolean negated = name.startsWith("^");
                    if (negated) {
                        name = name.substring(1);
                    }
                    String java = name.equals("Any") ? (negated != (e == 'P') ? "[^\\s\\S]" : "[\\s\\S]")
                            : "\\" + (negated ? (e == 'p' ? 'P' : 'p') : e) + "{Is" + name + "}";
                    out.append(java);
                    i = close + 1;
                    continue;
                }
                if (e == 'Q') {
                    int end = re.indexOf("\\E", i + 2);
                    String literal = end < 0 ? re.substring(i + 2) : re.substring(i + 2, end);
                    out.append(Pattern.quote(literal));
                    i = end < 0 ? n : end + 2;
                    continue;
                }
                out.append(c).append(e);
                i += 2;
                continue;
            }
            if (inClass) {
                if (c == '[' && re.startsWith("[:", i)) {
                    int close = re.indexOf(":]", i + 2);
                    if (close < 0) {
                        throw error("missing closing ]", re, i);
                    }
                    String name = re.substring(i + 2, close);
                    boolean negated = name.startsWith("^");
                    String java = POSIX_CLASSES.get(negated ? name.substring(1) : name);
                    if (java == null) {
                        throw error("invalid character class range [:" + name + ":]", re, i);
                    }
                    out.append(negated ? negate(java) : java);
                    i = close + 2;
                    continue;
                }
                if (c == '[' || c == '&') {
                    out.append('\\').append(c);
                } else {
                    if (c == ']') {
                        inClass = false;
                    }
                    out.append(c);
                }
                i++;
                continue;
            }
            if (c == '[') {
                inClass = true;
                out.append(c);
                i++;
                // A ']' right after '[' or '[^' is a literal in both dialects, but Java needs it escaped.
                if (i < n && re.charAt(i) == '^') {
                    out.append('^');
                    i++;
                }
                if (i < n && re.charAt(i) == ']') {
                    out.append("\\]");
                    i++;
                }
                continue;
            }
            if (c == '(' && re.startsWith("(?", i)) {
                if (re.startsWith("(?P<", i)) {
                    out.append("(?<");
                    i += 4;
                    continue;
                }
                if (re.startsWith("(?=", i) || re.startsWith("(?!", i) || re.startsWith("(?<=", i)
                        || re.startsWith("(?<!", i)) {
                    throw error("invalid or unsupported Perl syntax (look-around)", re, i);
                }
            }
            if ((c == '*' || c == '+' || c == '?') && i + 1 < n && re.charAt(i + 1) == '+') {
                throw error("invalid nested repetition operator", re, i);
            }
            out.append(c);
            i++;
        }
        if (inClass) {
            throw error("missing closing ]", re, n);
        }
        return out.toString();
    }

    private static String negate(String javaClass) {
        if (javaClass.equals("\\w")) {
            return "\\W";
        }
        return "\\P" + javaClass.substring(2);
    }

    private static PatternSyntaxException error(String message, String regex, int index) {
        return new PatternSyntaxException(message, regex, index);
    }
}
