package org.lwktlab.netisr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.ShutdownReport;

/** The end of every socket test: close the stack, shut the kernel down, and fail on anything left. */
final class CleanShutdown {
    private CleanShutdown() {}

    /** Closes {@code stack} and shuts {@code kernel} down (either may be null: the test never booted it). */
    static void of(NetStack stack, Kernel kernel) {
        if (stack != null) {
            stack.close();
        }
        if (kernel != null) {
            ShutdownReport r = kernel.shutdown();
            assertTrue(r.clean(), r.toString());
            assertEquals(0, r.handlerErrors(), r.toString());
        }
    }
}
