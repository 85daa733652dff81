package org.lwktlab.stress.support;

import org.lwktlab.ipi.IpiErrorHandler;

/**
 * The {@link IpiErrorHandler} the tests drain with: a failing IPI function is a broken test or a
 * broken mechanism, so it propagates out of the drain and jcstress reports the test as an error
 * (which fails the run) instead of a line on standard error.
 */
public final class Rethrow {
    /** Throws an {@link AssertionError} carrying the failure. */
    public static final IpiErrorHandler HANDLER = (cpu, function, arg, error) -> {
        throw new AssertionError("IPI function " + function + " failed on cpu " + cpu + " (arg " + arg + ")", error);
    };

    private Rethrow() {}
}
