package io.sigmatch.admin.forward;

/**
 * A batch the downstream did not acknowledge. The reason is a counter label part
 * ({@code forward.<name>.error.<reason>}: {@code status_503}, {@code timeout}, {@code connect}, ...);
 * no stack trace is taken, since a downstream that is down fails every retry the same way.
 */
final class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    DeliveryException(final String reason, final String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
