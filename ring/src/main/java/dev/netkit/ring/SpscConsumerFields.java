package dev.netkit.ring;

/*
 * Field layout of SpscByteRing, padded by class hierarchy: HotSpot lays out a superclass's fields before a
 * subclass's, and orders fields within one class freely. 128 bytes (136 between the two groups) of byte fields (two cache lines, for the
 * adjacent-line prefetcher) separate the producer's fields from the object header and from the consumer's.
 *
 *   header | Pad0 | tail, headCache (producer) | Pad1 | head, tailCache (consumer) | Pad2 | final fields
 */
/** Written by the consumer only: head (read by the producer) and its cache of tail. */
abstract class SpscConsumerFields extends SpscPad1 {
    long head;
    long tailCache;
}
