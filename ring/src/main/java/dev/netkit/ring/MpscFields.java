package dev.netkit.ring;

import dev.netkit.padding.internal.Handles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongSupplier;

/*
 * The field layout shared by the two MPSC classes, MpscFrameRing and MpscChunkedFrameQueue (both extend
 * MpscFields, so the ladder lives in a file of its own rather than in one of theirs), padded by class
 * hierarchy (the layout rule: see dev.netkit.padding's package documentation; RingLayoutTest checks the
 * result with JOL, in both header modes):
 *
 *   header | MpscPad0 | tail, headCache (producers) | MpscPad1 | head + consumer-private state | MpscFields | final fields
 *
 * MpscPad0 is 128 bytes: nothing moves in front of it. MpscPad1 and MpscFields' pad are 136: HotSpot fills
 * the alignment gap before a long (up to 7 bytes; 4 after the default 12-byte header, none after a compact
 * 8-byte one) with the first fields of the class below (here the consumer's ints), so 128-byte pads would
 * leave only 124 bytes between the groups (measured: EVIDENCE.md, "Padding: why 136 bytes").
 */

/** 128 bytes between the object header and the producers' fields. */
abstract class MpscPad0 {
    byte a000, a001, a002, a003, a004, a005, a006, a007, a008, a009, a010, a011, a012, a013, a014, a015;
    byte a016, a017, a018, a019, a020, a021, a022, a023, a024, a025, a026, a027, a028, a029, a030, a031;
    byte a032, a033, a034, a035, a036, a037, a038, a039, a040, a041, a042, a043, a044, a045, a046, a047;
    byte a048, a049, a050, a051, a052, a053, a054, a055, a056, a057, a058, a059, a060, a061, a062, a063;
    byte a064, a065, a066, a067, a068, a069, a070, a071, a072, a073, a074, a075, a076, a077, a078, a079;
    byte a080, a081, a082, a083, a084, a085, a086, a087, a088, a089, a090, a091, a092, a093, a094, a095;
    byte a096, a097, a098, a099, a100, a101, a102, a103, a104, a105, a106, a107, a108, a109, a110, a111;
    byte a112, a113, a114, a115, a116, a117, a118, a119, a120, a121, a122, a123, a124, a125, a126, a127;
}

/** Written by producers: tail (CAS) and their shared cache of head (release/acquire). */
abstract class MpscProducerFields extends MpscPad0 {
    long tail;
    long headCache;
}

/** 136 bytes between the producers' and the consumer's fields. */
abstract class MpscPad1 extends MpscProducerFields {
    byte b000, b001, b002, b003, b004, b005, b006, b007, b008, b009, b010, b011, b012, b013, b014, b015;
    byte b016, b017, b018, b019, b020, b021, b022, b023, b024, b025, b026, b027, b028, b029, b030, b031;
    byte b032, b033, b034, b035, b036, b037, b038, b039, b040, b041, b042, b043, b044, b045, b046, b047;
    byte b048, b049, b050, b051, b052, b053, b054, b055, b056, b057, b058, b059, b060, b061, b062, b063;
    byte b064, b065, b066, b067, b068, b069, b070, b071, b072, b073, b074, b075, b076, b077, b078, b079;
    byte b080, b081, b082, b083, b084, b085, b086, b087, b088, b089, b090, b091, b092, b093, b094, b095;
    byte b096, b097, b098, b099, b100, b101, b102, b103, b104, b105, b106, b107, b108, b109, b110, b111;
    byte b112, b113, b114, b115, b116, b117, b118, b119, b120, b121, b122, b123, b124, b125, b126, b127;
    byte b128, b129, b130, b131, b132, b133, b134, b135;
}

/** Written by the consumer only; producers read head. */
abstract class MpscConsumerFields extends MpscPad1 {
    long head;          // released space: producers may claim up to head + capacity
    long scan;          // first record not yet delivered/skipped; head <= scan <= tail
    int holes;          // reclaimed records in [head, scan) whose producer has not come back
    int peeked;         // frames in the last peek's view
    long blockedAt = -1L;
    long blockedSince;
    long reclaimed;     // total frames reclaimed (monitoring)

    /**
     * Whether the uncommitted record at {@code pos}, at the front, has blocked delivery for the reclaim
     * timeout (measured from the first call that saw it there); consumer. Shared by the MPSC rings.
     */
    final boolean reclaimDue(long pos, long timeoutNanos, LongSupplier clock) {
        if (timeoutNanos == Long.MAX_VALUE) {
            return false;
        }
        if (timeoutNanos == 0) {
            return true;
        }
        long now = clock.getAsLong();
        if (blockedAt != pos) {
            blockedAt = pos;
            blockedSince = now;
            return false;
        }
        return now - blockedSince >= timeoutNanos;
    }

    /** {@return the header word of the record at {@code position}, with acquire; consumer, for a record in [head, scan)} */
    abstract long headerAt(long position);

    /**
     * Where the consumer may move head to now: scan, or with holes the first RECLAIMED record from head on
     * (FREED records on the way are holes whose producer came back: counted off). Consumer.
     */
    final long releaseTarget() {
        long target = scan;
        if (holes > 0) {
            long p = head;
            while (p < target) {
                long word = headerAt(p);
                int state = (int) word;
                if (state == RecordHeaders.RECLAIMED) {
                    break;
                }
                if (state == RecordHeaders.FREED) {
                    holes--;
                }
                p += RecordHeaders.recordLength((int) (word >>> 32));
            }
            target = p;
        }
        return target;
    }
}

/**
 * The bottom of the MPSC ladder: 136 bytes after the consumer's fields, and the VarHandles of the padded
 * fields, which both MPSC classes use.
 */
abstract class MpscFields extends MpscConsumerFields {
    static final VarHandle TAIL = Handles.field(MethodHandles.lookup(), MpscProducerFields.class, "tail", long.class);
    static final VarHandle HEAD_CACHE =
            Handles.field(MethodHandles.lookup(), MpscProducerFields.class, "headCache", long.class);
    static final VarHandle HEAD = Handles.field(MethodHandles.lookup(), MpscConsumerFields.class, "head", long.class);

    byte c000, c001, c002, c003, c004, c005, c006, c007, c008, c009, c010, c011, c012, c013, c014, c015;
    byte c016, c017, c018, c019, c020, c021, c022, c023, c024, c025, c026, c027, c028, c029, c030, c031;
    byte c032, c033, c034, c035, c036, c037, c038, c039, c040, c041, c042, c043, c044, c045, c046, c047;
    byte c048, c049, c050, c051, c052, c053, c054, c055, c056, c057, c058, c059, c060, c061, c062, c063;
    byte c064, c065, c066, c067, c068, c069, c070, c071, c072, c073, c074, c075, c076, c077, c078, c079;
    byte c080, c081, c082, c083, c084, c085, c086, c087, c088, c089, c090, c091, c092, c093, c094, c095;
    byte c096, c097, c098, c099, c100, c101, c102, c103, c104, c105, c106, c107, c108, c109, c110, c111;
    byte c112, c113, c114, c115, c116, c117, c118, c119, c120, c121, c122, c123, c124, c125, c126, c127;
    byte c128, c129, c130, c131, c132, c133, c134, c135;
}
