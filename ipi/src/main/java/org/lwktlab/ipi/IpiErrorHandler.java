package org.lwktlab.ipi;

/**
 * Told when an IPI function throws. The drain goes on with the next entry; the error is never
 * swallowed silently — the handler records or reports it.
 */
@FunctionalInterface
public interface IpiErrorHandler {
    /** Prints to standard error; the default until the kernel installs its own. */
    IpiErrorHandler STDERR = (cpu, function, arg, error) -> {
        System.err.println("lwkt: IPI function " + function + " failed on cpu " + cpu + " (arg " + arg + "): " + error);
        error.printStackTrace();
    };

    void ipiFailed(int cpu, Object function, Object arg, Throwable error);
}
