package org.lwktlab.lwkt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ProvenanceTest {

    private static KernelConfig.Builder traced(int cpus) {
        return Await.config(cpus).debug(KernelConfig.Debug.PROVENANCE);
    }

    private static boolean stackMentions(Origin o, String method) {
        return Arrays.stream(o.stack()).anyMatch(f -> f.getMethodName().contains(method)
                && f.getClassName().startsWith(ProvenanceTest.class.getName()));
    }

    /** client (cpu 0) -> front (cpu 1) -forward-> disk (cpu 0), which throws. */
    @Test
    void aHandlerErrorCarriesTheWholeChainAcrossCpusAndForwards() {
        try (Kernel k = Kernel.boot(traced(2).build())) {
            LwktThread disk = k.spawn(0, "disk", m -> {
                throw new IllegalStateException("disk failed");
            });
            LwktThread front = k.spawn(1, "front", m -> Lwkt.forwardmsg(disk.port(), m));
            LwktThread client = LwktThread.builder("client").handler(new MessageHandler() {
                @Override
                public void handle(Message m) {
                    if (m.isReply()) {
                        return;
                    }
                    clientSendsToFront(front, m);
                    Lwkt.replymsg(m, Errno.OK);
                }
            }).spawn(k, 0);
            Message kick = new Message(WaitPort.get());
            assertEquals(Errno.OK, Lwkt.domsg(client.port(), kick));
            Await.until("the disk handler to fail", () -> k.errorCount() == 1);
            HandlerError e = k.errors().getFirst();
            Origin o = e.origin();
            assertNotNull(o, "no origin on the handler error: " + e);
            List<Origin> links = o.links();
            assertEquals(3, links.size(), o.describe(""));
            // the hop that delivered it to the failing handler
            assertEquals(Origin.Kind.FORWARDED, links.get(0).kind());
            assertEquals("disk", links.get(0).port());
            assertEquals("thread 'front' on cpu 1", links.get(0).by());
            assertEquals(Origin.Relation.EARLIER_HOP, links.get(0).relation());
            // the original send, by the client, from this test's code
            assertEquals(Origin.Kind.SENT, links.get(1).kind());
            assertEquals("front", links.get(1).port());
            assertEquals("thread 'client' on cpu 0", links.get(1).by());
            assertTrue(stackMentions(links.get(1), "clientSendsToFront"), Arrays.toString(links.get(1).stack()));
            assertEquals(Origin.Relation.CAUSE_REQUEST, links.get(1).relation());
            // and the message the client was handling then: the kick, sent by this outside thread
            assertEquals(Origin.Kind.DOMSG, links.get(2).kind());
            assertEquals("client", links.get(2).port());
            assertTrue(links.get(2).by().startsWith("outside thread '"), links.get(2).by());
            assertTrue(stackMentions(links.get(2), "aHandlerErrorCarriesTheWholeChain"));
            assertNull(links.get(2).up());
            String text = e.toString();
            assertTrue(text.contains("disk failed") && text.contains("forwarded to port 'disk' by thread 'front'")
                    && text.contains("clientSendsToFront") && text.contains("sent while handling request"), text);
            assertTrue(k.shutdown().clean());
        }
    }

    private static void clientSendsToFront(LwktThread front, Message cause) {
        Lwkt.sendmsg(front.port(), new Message(Lwkt.curthread().port()).arg(cause.arg()));
    }

    @Test
    void theLeakReportListsEachUnrepliedMessageWithItsOrigin() {
        Kernel k = Kernel.boot(traced(2).build());
        List<Message> kept = new ArrayList<>(); // cpu 1's state; never replied, no shutdown hook
        LwktThread hoarder = k.spawn(1, "hoarder", kept::add);
        LwktThread polite = k.spawn(0, "polite", m -> Lwkt.replymsg(m, Errno.OK));
        Message lost = new Message(WaitPort.get());
        sendTheOneThatLeaks(hoarder, lost);
        assertEquals(Errno.OK, Lwkt.domsg(polite.port(), new Message(WaitPort.get())));
        ShutdownReport r = k.shutdown();
        assertFalse(r.clean());
        assertEquals(1, r.outstanding());
        List<String> section = r.sections().get(Kernel.UNREPLIED_SECTION);
        assertNotNull(section, r.toString());
        assertEquals(1, section.size(), "only the lost message is outstanding: " + section);
        String line = section.getFirst();
        assertTrue(line.contains("at port 'hoarder'") && line.contains("sendTheOneThatLeaks"), line);
        assertTrue(r.toString().contains("sendTheOneThatLeaks"), r.toString());
    }

    private static void sendTheOneThatLeaks(LwktThread to, Message m) {
        Lwkt.sendmsg(to.port(), m);
    }

    @Test
    void offByDefaultNothingIsRecordedAndTheReportSaysHowToTurnItOn() {
        Kernel k = Kernel.boot(Await.config(1).build());
        assertFalse(k.provenanceEnabled());
        List<Message> kept = new ArrayList<>();
        LwktThread hoarder = k.spawn(0, "hoarder", kept::add);
        Message m = new Message(WaitPort.get());
        Lwkt.sendmsg(hoarder.port(), m);
        Await.until("the hoarder to take it", () -> m.flags() == 0);
        assertNull(m.origin());
        assertThrows(IllegalStateException.class, () -> k.provenanceTap((c, td, msg, o) -> { }));
        ShutdownReport r = k.shutdown();
        assertNull(r.sections().get(Kernel.UNREPLIED_SECTION));
        assertTrue(r.problems().getFirst().contains("--debug provenance"), r.problems().toString());
    }

    @Test
    void aRequestReplyLoopKeepsItsChainBounded() {
        try (Kernel k = Kernel.boot(traced(2).provenanceDepth(4).build())) {
            LwktThread echo = k.spawn(1, "echo", m -> Lwkt.replymsg(m, Errno.OK));
            Origin[] last = new Origin[1];
            int[] rounds = new int[1];
            LwktThread loop = LwktThread.builder("loop").handler(m -> {
                if (!m.isReply()) {
                    Lwkt.sendmsg(echo.port(), new Message(Lwkt.curthread().port()));
                    Lwkt.replymsg(m, Errno.OK);
                    return;
                }
                if (++rounds[0] < 100) {
                    Lwkt.sendmsg(echo.port(), m);
                } else {
                    last[0] = m.origin();
                }
            }).spawn(k, 0);
            Lwkt.domsg(loop.port(), new Message(WaitPort.get()));
            Await.until("100 rounds", () -> last[0] != null);
            Origin o = last[0];
            assertEquals(4, o.depth());
            assertEquals(4, o.links().size());
            assertTrue(o.omitted() >= 90, "omitted " + o.omitted());
            assertEquals(Origin.Relation.CAUSE_REPLY, o.relation());
            assertTrue(o.describe("").contains("older link(s) not kept"));
        }
    }

    @Test
    void aTapSeesEveryHandledMessageWithItsChain() {
        try (Kernel k = Kernel.boot(traced(2).build())) {
            List<String> seen = new CopyOnWriteArrayList<>();
            k.provenanceTap((cpu, td, msg, origin) -> seen.add(td.name() + "@" + cpu.id() + " <- "
                    + (origin == null ? "?" : origin.by())));
            LwktThread t = k.spawn(1, "t", m -> Lwkt.replymsg(m, Errno.OK));
            for (int i = 0; i < 3; i++) {
                Lwkt.domsg(t.port(), new Message(WaitPort.get()));
            }
            assertEquals(3, seen.size(), seen.toString());
            assertTrue(seen.getFirst().startsWith("t@1 <- outside thread"), seen.toString());
        }
    }

    @Test
    void theDebugSettingParsesAndRejectsUnknownFacilities() {
        KernelConfig c = KernelConfig.builder(1).set("debug", "provenance").build();
        assertTrue(c.debugging(KernelConfig.Debug.PROVENANCE));
        assertFalse(KernelConfig.builder(1).set("debug", "none").build().debugging(KernelConfig.Debug.PROVENANCE));
        ConfigException e = assertThrows(ConfigException.class, () -> KernelConfig.builder(1).set("debug", "provenanse"));
        assertEquals("debug", e.setting());
        assertTrue(e.getMessage().contains("provenanse") && e.getMessage().contains("valid: provenance"), e.getMessage());
        assertThrows(ConfigException.class, () -> KernelConfig.builder(1).provenanceDepth(0).build());
    }
}
