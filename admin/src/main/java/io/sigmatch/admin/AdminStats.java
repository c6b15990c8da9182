package io.sigmatch.admin;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The admin plane's own counts: responses by status code, connections open and refused. */
public final class AdminStats {
    private final ConcurrentHashMap<Integer, LongAdder> responses = new ConcurrentHashMap<>();
    final AtomicInteger connections = new AtomicInteger();
    final LongAdder connectionsRefused = new LongAdder();

    void response(final int code) {
        responses.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    public Map<Integer, Long> responses() {
        final Map<Integer, Long> out = new TreeMap<>();
        responses.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public int connections() {
        return connections.get();
    }

    public long connectionsRefused() {
        return connectionsRefused.sum();
    }
}
