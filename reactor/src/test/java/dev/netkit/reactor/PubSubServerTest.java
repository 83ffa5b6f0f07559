package dev.netkit.reactor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netkit.connmatrix.ConnMatrix;
import dev.netkit.reactor.protocols.PubSubFrames;
import dev.netkit.reactor.protocols.PubSubHandler;
import dev.netkit.testkit.Await;
import dev.netkit.testkit.Seeds;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pub/sub example protocol: fan-out across loops, once and in order per publisher; unsubscribe; abuse. */
class PubSubServerTest {
    private static final byte[] TOPIC = "room/1".getBytes(StandardCharsets.UTF_8);

    private static ServerConfig config() {
        return ServerConfig.builder().subReactors(2).inboundRingBytes(4096).outboundRingBytes(16 << 10)
                .inboxBytes(16 << 10).maxFrameBytes(1024).build();
    }

    /** A blocking pub/sub client. */
    static final class Client implements AutoCloseable {
        final TestClient c;
        long id;

        Client(Server s) throws IOException {
            c = new TestClient(s.address());
        }

        void send(byte op, byte[] topic, byte[] payload) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(6 + topic.length + (payload == null ? 0 : payload.length));
            PubSubFrames.putClientFrame(b, op, topic, payload == null ? null : ByteBuffer.wrap(payload));
            c.write(b.array());
        }

        /** A server frame: type, id, topic, payload. */
        record Frame(byte type, long id, String topic, byte[] payload) {
        }

        Frame read() throws IOException {
            byte[] h = c.readFully(PubSubFrames.SERVER_HEADER);
            ByteBuffer hb = ByteBuffer.wrap(h);
            int topic = PubSubFrames.topicBytes(hb, 0);
            byte[] rest = c.readFully(PubSubFrames.serverFrameBytes(hb, 0) - PubSubFrames.SERVER_HEADER);
            return new Frame(PubSubFrames.type(hb, 0), PubSubFrames.id(hb, 0),
                    new String(rest, 0, topic, StandardCharsets.UTF_8),
                    java.util.Arrays.copyOfRange(rest, topic, rest.length));
        }

        void subscribe(byte[] topic) throws IOException {
            send(PubSubFrames.SUB, topic, null);
            Frame f = read();
            assertEquals(PubSubFrames.SUBSCRIBED, f.type());
            assertEquals(new String(topic, StandardCharsets.UTF_8), f.topic());
            id = f.id();
        }

        @Override
        public void close() throws IOException {
            c.close();
        }
    }

    @Test
    void everySubscriberGetsEveryMessageOnceInOrderPerPublisherAcrossLoops() throws Exception {
        long seed = Seeds.seed();
        SplittableRandom rnd = new SplittableRandom(seed);
        PubSubHandler.Topics topics = new PubSubHandler.Topics();
        // inboxes large enough for the whole run (2 x 300 messages of at most 920 B), so that a subscriber
        // whose reader thread falls behind on these 2 cores is not closed for its cap (tested below)
        ServerConfig cfg = ServerConfig.builder().subReactors(2).inboundRingBytes(4096).outboundRingBytes(16 << 10)
                .inboxBytes(2 << 20).maxFrameBytes(1024).build();
        try (Server s = Server.start(cfg, () -> new PubSubHandler(cfg, topics))) {
            List<Client> subs = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    Client c = new Client(s);
                    subs.add(c);
                    c.subscribe(TOPIC);
                }
                assertEquals(6, topics.subscribers("room/1"));
                boolean[] shards = new boolean[2];
                for (Client c : subs) {
                    shards[ConnMatrix.shardOf(c.id)] = true;
                }
                assertTrue(shards[0] && shards[1], "subscribers on both loops");
                Client pubA = subs.get(0);                   // publishers subscribe too: they get their own
                Client pubB = subs.get(1);
                int perPublisher = 300;
                Map<Long, List<byte[]>> sent = new java.util.concurrent.ConcurrentHashMap<>();
                for (Client p : new Client[] {pubA, pubB}) {
                    List<byte[]> list = new ArrayList<>();
                    for (int k = 0; k < perPublisher; k++) {
                        byte[] payload = new byte[1 + rnd.nextInt(900)];
                        rnd.nextBytes(payload);
                        list.add(payload);
                    }
                    sent.put(p.id, list);
                }
                try (var ex = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                    List<java.util.concurrent.Future<Map<Long, Integer>>> readers = new ArrayList<>();
                    for (Client c : subs) {                  // every subscriber reads while the publishers write
                        readers.add(ex.submit(() -> {
                            Map<Long, Integer> next = new HashMap<>();
                            for (int k = 0; k < 2 * perPublisher; k++) {
                                Client.Frame f = c.read();
                                assertEquals(PubSubFrames.MSG, f.type(), "seed " + seed);
                                int i = next.merge(f.id(), 1, Integer::sum) - 1;
                                assertArrayEquals(sent.get(f.id()).get(i), f.payload(), "seed " + seed + ": message "
                                        + i + " of publisher " + Long.toHexString(f.id()) + " at subscriber "
                                        + Long.toHexString(c.id));
                            }
                            return next;
                        }));
                    }
                    List<java.util.concurrent.Future<?>> writers = new ArrayList<>();
                    for (Client p : new Client[] {pubA, pubB}) {
                        writers.add(ex.submit(() -> {
                            for (byte[] payload : sent.get(p.id)) {
                                p.send(PubSubFrames.PUB, TOPIC, payload);
                            }
                            return null;
                        }));
                    }
                    for (var w : writers) {
                        w.get();
                    }

                    for (var r : readers) {
                        assertEquals(Map.of(pubA.id, perPublisher, pubB.id, perPublisher), r.get());
                    }
                }
                assertEquals(6L * 2 * perPublisher, s.stats().sent());
            } finally {
                for (Client c : subs) {
                    c.close();
                }
            }
            Await.until(() -> topics.subscribers("room/1") == 0, () -> "closed subscribers still subscribed");
        }
    }

    @Test
    void unsubscribedGetsNothingMore() throws Exception {
        PubSubHandler.Topics topics = new PubSubHandler.Topics();
        ServerConfig cfg = config();
        try (Server s = Server.start(cfg, () -> new PubSubHandler(cfg, topics));
             Client a = new Client(s); Client b = new Client(s)) {
            a.subscribe(TOPIC);
            b.subscribe(TOPIC);
            b.send(PubSubFrames.SUB, TOPIC, null);          // twice: still one subscription
            assertEquals(PubSubFrames.SUBSCRIBED, b.read().type());
            assertEquals(2, topics.subscribers("room/1"));
            b.send(PubSubFrames.UNSUB, TOPIC, null);
            assertEquals(PubSubFrames.UNSUBSCRIBED, b.read().type());
            a.send(PubSubFrames.PUB, TOPIC, new byte[] {1});
            assertArrayEquals(new byte[] {1}, a.read().payload());
            b.send(PubSubFrames.PUB, "other".getBytes(StandardCharsets.UTF_8), new byte[] {2});  // nobody there
            b.subscribe(TOPIC);
            a.send(PubSubFrames.PUB, TOPIC, new byte[] {3});
            assertArrayEquals(new byte[] {3}, a.read().payload());
            assertArrayEquals(new byte[] {3}, b.read().payload());  // not 1: it was unsubscribed then
            assertEquals(3, s.stats().sent());
        }
    }

    @Test
    void malformedFramesCloseOnlyTheirConnection() throws Exception {
        ServerConfig cfg = config();
        try (Server s = Server.start(cfg, PubSubHandler.factory(cfg)); Client good = new Client(s)) {
            good.subscribe(TOPIC);
            byte[][] bad = {
                {0, 0, 0, 2, 1, 1},                              // length below 3
                {0, 0, 0, 3, 9, 1, 'x'},                         // unknown op
                {0, 0, 0, 3, 1, 0, 'x'},                         // empty topic
                {0, 0, 0, 4, 1, 1, 'x', 'y'},                    // SUB with a payload
                {0, 0, 0, 4, 3, 5, 'x', 'y'},                    // topic past the frame
                {0, 0, 4, 2},                                    // longer than maxFrameBytes
                {0, 0, 0, 9, 3, 1},                              // truncated by FIN
            };
            for (byte[] b : bad) {
                try (TestClient c = new TestClient(s.address())) {
                    c.write(b);
                    c.ch.shutdownOutput();
                    assertTrue(c.awaitClosed());
                }
            }
            Await.until(() -> s.stats().closed(CloseReason.MALFORMED_FRAME) == bad.length, s.stats()::toString);
            good.send(PubSubFrames.PUB, TOPIC, new byte[] {7});
            assertArrayEquals(new byte[] {7}, good.read().payload());
        }
    }
    @Test
    void aSubscriberThatDoesNotReadIsClosedAndTheOthersGoOn() throws Exception {
        PubSubHandler.Topics topics = new PubSubHandler.Topics();
        ServerConfig cfg = config();
        try (Server s = Server.start(cfg, () -> new PubSubHandler(cfg, topics));
             Client pub = new Client(s); Client reader = new Client(s)) {
            TestClient sleeper = new TestClient(s.address(), 4096);     // a small receive buffer, never read
            ByteBuffer sub = ByteBuffer.allocate(6 + TOPIC.length);
            PubSubFrames.putClientFrame(sub, PubSubFrames.SUB, TOPIC, null);
            sleeper.write(sub.array());
            reader.subscribe(TOPIC);
            Await.until(() -> topics.subscribers("room/1") == 2, () -> "not subscribed");
            byte[] payload = new byte[1000];
            int n = 0;
            while (s.stats().closed(CloseReason.OUTBOUND_CAP) == 0) {   // until the sleeper overflows
                payload[0] = (byte) n++;
                pub.send(PubSubFrames.PUB, TOPIC, payload);
                assertEquals((byte) (n - 1), reader.read().payload()[0]);   // the reader gets each, in order
            }
            assertTrue(sleeper.awaitClosed());
            Await.until(() -> topics.subscribers("room/1") == 1, () -> "the closed subscriber is still subscribed");
            pub.send(PubSubFrames.PUB, TOPIC, new byte[] {42});
            assertArrayEquals(new byte[] {42}, reader.read().payload());
            sleeper.close();
        }
    }
}
