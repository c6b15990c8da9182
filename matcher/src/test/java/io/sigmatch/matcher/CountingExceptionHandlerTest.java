package io.sigmatch.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigmatch.decoder.Counters;
import org.junit.jupiter.api.Test;

class CountingExceptionHandlerTest {
    @Test
    void everyFailureIsCountedButALoopOfThemLogsOnlyAFewLines() {
        final Counters counters = new Counters();
        final CountingExceptionHandler handler = new CountingExceptionHandler(0, counters.counter("pipeline.errors"));
        final SubscriberEvent event = new SubscriberEvent();
        for (int i = 0; i < 10_000; i++) {
            handler.handleEventException(new IllegalStateException("boom"), i, event);
        }
        assertEquals(10_000, counters.get("pipeline.errors"));
        assertEquals(10_000, handler.seen());
        // the first ten, then at most one a second (the loop may straddle a second boundary)
        assertTrue(handler.logged() >= CountingExceptionHandler.ALWAYS_LOGGED && handler.logged() <= 12,
            handler.logged() + " lines");
    }

    @Test
    void startAndShutdownFailuresAreCountedToo() {
        final Counters counters = new Counters();
        final CountingExceptionHandler handler = new CountingExceptionHandler(3, counters.counter("pipeline.errors"));
        handler.handleOnStartException(new IllegalStateException("no journal"));
        handler.handleOnShutdownException(new IllegalStateException("no journal"));
        assertEquals(2, counters.get("pipeline.errors"));
    }
}
