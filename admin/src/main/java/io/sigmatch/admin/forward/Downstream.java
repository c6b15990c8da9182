package io.sigmatch.admin.forward;

/**
 * Where a forwarder sends its batches: the webhook or Kafka. {@link #deliver} returns once the
 * downstream has acknowledged every record of the batch, or throws {@link DeliveryException}; it
 * runs on the forwarder's own thread and may block for as long as the downstream's timeout.
 */
interface Downstream extends AutoCloseable {
    /** Sends the batch; returns only when all of it is acknowledged. */
    void deliver(Batch batch) throws DeliveryException, InterruptedException;

    @Override
    void close();
}
