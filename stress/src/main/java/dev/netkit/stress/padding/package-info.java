/**
 * jcstress tests for {@code dev.netkit.padding}: atomicity of {@code PaddedAtomicLong}'s read-modify-write
 * methods, release/acquire publication through {@code PaddedAtomicLong} and {@code PaddedSequence}, and
 * what {@code StripedCounter.sum()} may observe while owned-stripe and shared-cell writers run.
 *
 * <p>Every test has at most two actors, so that it runs on a two-core machine (jcstress skips a test with
 * more actors than CPUs). Outcomes not listed as acceptable are forbidden, and each test names the
 * forbidden ones explicitly.
 */
package dev.netkit.stress.padding;
