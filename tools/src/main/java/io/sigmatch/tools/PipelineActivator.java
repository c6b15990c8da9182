package io.sigmatch.tools;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import io.sigmatch.admin.SnapshotActivator;
import io.sigmatch.matcher.Pipeline;
import io.sigmatch.matcher.rules.RuleSet;

/**
 * MERGE ADAPTER: the admin plane's {@link SnapshotActivator} over the match pipeline. The swap call
 * {@code public RuleSet activate(RuleSet next)} on {@link Pipeline} is being written on the match
 * branch; when it is merged, replace {@link #of} with the method reference {@code pipeline::activate}
 * and delete this class. Until then this looks the method up once and calls it if it is there, and
 * otherwise refuses every swap with a clear reason — the admin plane then answers 503 and the active
 * version keeps serving (restarting with a staged version is not possible either way: only an
 * activation makes a version active).
 */
final class PipelineActivator {
    private PipelineActivator() {
    }

    static SnapshotActivator of(final Pipeline pipeline) {
        final Method activate;
        try {
            activate = Pipeline.class.getMethod("activate", RuleSet.class);
        } catch (final NoSuchMethodException e) {
            return next -> {
                throw new UnsupportedOperationException("this build's pipeline cannot swap rule sets live "
                    + "(Pipeline.activate is not merged yet); restart with the new snapshot as config rules");
            };
        }
        return next -> {
            try {
                return (RuleSet) activate.invoke(pipeline, next);
            } catch (final InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (final IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
