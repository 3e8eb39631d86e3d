package io.vivace.common.traceql;

/** {@code trace:id} compares hex IDs without leading zeros on both sides (reference §1.4). */
final class TraceIds {

    private TraceIds() {
    }

    static String stripLeadingZeros(String hex) {
        int i = 0;
        while (i < hex.length() - 1 && hex.charAt(i) == '0') {
            i++;
        }
        return hex.substring(i).toLowerCase(java.util.Locale.ROOT);
    }
}
