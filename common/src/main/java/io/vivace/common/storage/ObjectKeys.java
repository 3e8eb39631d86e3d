package io.vivace.common.storage;

/** The key and range rules every {@link Backend} enforces, so that the backends refuse the same inputs. */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    /** Returns {@code key} if it is a valid object key; see {@link Backend} for the rules. */
    public static String requireValid(String key) {
        if (key.isEmpty() || key.contains("\\")) {
            throw new IllegalArgumentException("invalid object key: '" + key + "'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid object key: '" + key + "'");
            }
        }
        return key;
    }

    /** The folder form of a {@link Backend#children} prefix: empty, or ending with exactly one '/'. */
    public static String folder(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        String folder = prefix.endsWith("/") ? prefix : prefix + "/";
        requireValid(folder.substring(0, folder.length() - 1));
        return folder;
    }

    public static void requireValidRange(long offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("invalid range: offset " + offset + ", length " + length);
        }
    }
}
