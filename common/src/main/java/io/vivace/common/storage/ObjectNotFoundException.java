package io.vivace.common.storage;

import java.io.IOException;

/** The backend has no object under the requested key. */
public final class ObjectNotFoundException extends IOException {
    public ObjectNotFoundException(String key) {
        super("object not found: " + key);
    }
}
