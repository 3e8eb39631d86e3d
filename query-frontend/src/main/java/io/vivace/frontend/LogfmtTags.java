package io.vivace.frontend;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parses the {@code tags} parameter: logfmt pairs {@code k=v k2="v with space"}, as Tempo's go-logfmt does. */
final class LogfmtTags {

    private LogfmtTags() {
    }

    static Map<String, String> parse(String text) throws BadRequestException {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && text.charAt(i) <= ' ') {
                i++;
            }
            if (i >= n) {
                return out;
            }
            int keyStart = i;
            while (i < n && text.charAt(i) > ' ' && text.charAt(i) != '=' && text.charAt(i) != '"') {
                i++;
            }
            if (i == keyStart) {
                throw new BadRequestException("invalid tags: unexpected '" + text.charAt(i) + "' at pos " + (i + 1));
            }
            String key = text.substring(keyStart, i);
            String value = "";
            if (i < n && text.charAt(i) == '=') {
                i++;
                if (i < n && text.charAt(i) == '"') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    boolean closed = false;
                    while (i < n) {
                        char c = text.charAt(i++);
                        if (c == '\\' && i < n) {
                            char e = text.charAt(i++);
                            sb.append(switch (e) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                default -> e;
                            });
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            sb.append(c);
                        }
                    }
                    if (!closed) {
                        throw new BadRequestException("invalid tags: unterminated quoted value at pos " + (n + 1));
                    }
                    value = sb.toString();
                } else {
                    int valueStart = i;
                    while (i < n && text.charAt(i) > ' ') {
                        if (text.charAt(i) == '"' || text.charAt(i) == '=') {
                            throw new BadRequestException("invalid tags: unexpected '" + text.charAt(i) + "' at pos " + (i + 1));
                        }
                        i++;
                    }
                    value = text.substring(valueStart, i);
                }
            } else if (i < n && text.charAt(i) == '"') {
                throw new BadRequestException("invalid tags: unexpected '\"' at pos " + (i + 1));
            }
            if (out.put(key, value) != null) {
                throw new BadRequestException("invalid tags: tag " + key + " has been set twice");
            }
        }
    }
}
