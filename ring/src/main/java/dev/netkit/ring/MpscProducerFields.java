package dev.netkit.ring;

/*
 * Field layout of MpscFrameRing, padded by class hierarchy (see SpscPad0):
 *
 *   header | Pad0 | tail, headCache (producers) | Pad1 | head + consumer-private state | Pad2 | final fields
 */
/** Written by producers: tail (CAS) and their shared cache of head (release/acquire). */
abstract class MpscProducerFields extends MpscPad0 {
    long tail;
    long headCache;
}
