package io.sigmatch.decoder.capture.live;

import java.io.IOException;

/** Live capture could not start; the message is one line saying what to fix (permission, interface). */
public final class LiveCaptureException extends IOException {
    private static final long serialVersionUID = 1L;

    public LiveCaptureException(final String message) {
        super(message);
    }
}
