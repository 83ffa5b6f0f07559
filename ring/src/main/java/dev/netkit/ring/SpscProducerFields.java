package dev.netkit.ring;

/*
 * Field layout of SpscByteRing, padded by class hierarchy: HotSpot lays out a superclass's fields before a
 * subclass's, and orders fields within one class freely. 128 bytes (136 between the two groups) of byte fields (two cache lines, for the
 * adjacent-line prefetcher) separate the producer's fields from the object header and from the consumer's.
 *
 *   header | Pad0 | tail, headCache (producer) | Pad1 | head, tailCache (consumer) | Pad2 | final fields
 */
/** Written by the producer only: tail (read by the consumer) and its cache of head. */
abstract class SpscProducerFields extends SpscPad0 {
    long tail;
    long headCache;
}
