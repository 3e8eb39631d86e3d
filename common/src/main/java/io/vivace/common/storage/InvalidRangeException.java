package io.vivace.common.storage;

import java.io.IOException;

/** A ranged read asked for bytes past the end of the object. */
public final class InvalidRangeException extends IOException {

    /** @param objectSize the object's size, or -1 when the backend did not say */
    public InvalidRangeException(String key, long offset, int length, long objectSize) {
        super("range [" + offset + ", " + (offset + length) + ") reaches past the end of " + key
                + (objectSize >= 0 ? " (" + objectSize + " bytes)" : ""));
    }
}
