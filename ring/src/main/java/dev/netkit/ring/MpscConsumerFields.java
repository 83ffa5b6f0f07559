package dev.netkit.ring;

/*
 * Field layout of MpscFrameRing, padded by class hierarchy (see SpscPad0):
 *
 *   header | Pad0 | tail, headCache (producers) | Pad1 | head + consumer-private state | Pad2 | final fields
 */
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
    final boolean reclaimDue(long pos, long timeoutNanos, java.util.function.LongSupplier clock) {
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

    /** @return a record header word: length in the high 32 bits, state in the low 32 */
    static long pack(int length, int state) {
        return ((long) length << 32) | state;
    }

    /** @return the bytes of a record: 8-byte header, payload, padded to a multiple of 8 */
    static int recordLength(int payload) {
        return (MpscFrameRing.HEADER_LENGTH + payload + 7) & ~7;
    }
}
