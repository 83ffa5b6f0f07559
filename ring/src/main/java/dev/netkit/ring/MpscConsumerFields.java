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
}
