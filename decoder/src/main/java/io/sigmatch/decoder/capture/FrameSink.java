package io.sigmatch.decoder.capture;

/** Receives frames from a capture source, one call per packet, on the source's thread. */
@FunctionalInterface
public interface FrameSink {
    /** The frame and its bytes are reused after the call returns: copy what must be kept. */
    void onFrame(Frame frame);
}
