package org.lwktlab.lwkt.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.HandlerError;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.ShutdownReport;
import org.lwktlab.lwkt.WaitPort;

/** The runnable example of docs/research.md: {@code bin/lab test -q -pl lwkt -am -Dtest=ProvenanceExample -Dsurefire.failIfNoSpecifiedTests=false}. */
class ProvenanceExample {

    @Test
    void aHandlerErrorShowsWhoSentTheMessageAndThroughWhichHops() {
        KernelConfig config = KernelConfig.builder(2).pin(KernelConfig.Pin.OFF)
                .debug(KernelConfig.Debug.PROVENANCE)            // or: bin/lab run ... --debug provenance
                .build();
        try (Kernel k = Kernel.boot(config)) {
            LwktThread disk = k.spawn(1, "disk", m -> {
                throw new IllegalStateException("bad block " + m.arg());
            });
            LwktThread fs = k.spawn(0, "fs", m -> Lwkt.forwardmsg(disk.port(), m));
            int err = Lwkt.domsg(fs.port(), new Message(WaitPort.get()).arg(42));
            HandlerError e = k.errors().getFirst();
            System.out.println(e); // the exception, then the message's whole origin chain
            assertEquals(Errno.EHANDLER, err);
            assertTrue(e.toString().contains("forwarded to port 'disk' by thread 'fs' on cpu 0"), e.toString());
            assertTrue(e.toString().contains("aHandlerErrorShowsWhoSentTheMessage"), e.toString());
        }
    }

    @Test
    void theLeakReportListsEveryUnrepliedMessageWithItsOrigin() {
        Kernel k = Kernel.boot(KernelConfig.builder(1).pin(KernelConfig.Pin.OFF)
                .debug(KernelConfig.Debug.PROVENANCE).build());
        List<Message> kept = new ArrayList<>();
        LwktThread hoarder = k.spawn(0, "hoarder", kept::add); // keeps requests, never replies them
        Lwkt.sendmsg(hoarder.port(), new Message(WaitPort.get()));
        ShutdownReport report = k.shutdown();
        System.out.println(report); // PROBLEM: 1 message(s) were sent but never replied ... and its origin
        assertEquals(1, report.outstanding());
        assertTrue(report.sections().get(Kernel.UNREPLIED_SECTION).getFirst().contains("theLeakReportLists"));
    }
}
