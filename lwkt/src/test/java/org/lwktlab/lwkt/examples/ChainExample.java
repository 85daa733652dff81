package org.lwktlab.lwkt.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.lwktlab.lwkt.CompletionRing;
import org.lwktlab.lwkt.Errno;
import org.lwktlab.lwkt.Kernel;
import org.lwktlab.lwkt.KernelConfig;
import org.lwktlab.lwkt.Lwkt;
import org.lwktlab.lwkt.LwktThread;
import org.lwktlab.lwkt.Message;
import org.lwktlab.lwkt.MsgChain;
import org.lwktlab.lwkt.WaitPort;

/** The runnable example of docs/research.md: {@code bin/lab test -q -pl lwkt -am -Dtest=ChainExample -Dsurefire.failIfNoSpecifiedTests=false}. */
class ChainExample {

    @Test
    void lookupThenReadAsOneSubmission() throws Exception {
        try (Kernel k = Kernel.boot(KernelConfig.builder(2).pin(KernelConfig.Pin.OFF).build())) {
            LwktThread namei = k.spawn(0, "namei", m -> {         // step 1: path -> inode
                m.result(m.payload().equals("/etc/motd") ? 7 : -1);
                Lwkt.replymsg(m, m.result() < 0 ? Errno.ENOENT : Errno.OK);
            });
            LwktThread reader = k.spawn(1, "read", m -> {         // step 2: read the inode's data
                m.result(4096);
                Lwkt.replymsg(m, Errno.OK);
            });

            MsgChain open = new MsgChain(2, WaitPort.get())
                    .add(namei.port(), new Message().payload("/etc/motd"))
                    .add(reader.port(), new Message());
            assertEquals(Errno.OK, Lwkt.dochain(open));              // one entry, one wake-up
            assertEquals(4096, open.step(1).result());

            open.step(0).payload("/nope");
            assertEquals(Errno.ENOENT, Lwkt.dochain(open));          // stops at the first error
            assertEquals(0, open.failedStep());

            CompletionRing ring = new CompletionRing("completions");  // many chains in flight
            MsgChain a = new MsgChain(2, ring).add(namei.port(), new Message().payload("/etc/motd"))
                    .add(reader.port(), new Message());
            Lwkt.sendchain(a);
            assertSame(a, ring.take());
        }
    }
}
