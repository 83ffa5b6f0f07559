/**
 * jcstress tests for {@code dev.netkit.connmatrix}: every pair of concurrent {@code ConnMatrix} operations
 * that its thread-safety contract allows. Distinct ids from concurrent owners, safe publication through
 * {@code add}/{@code get}, stale ids that never find a newer connection, single-winner removes in all
 * three forms, weakly consistent but exact-at-rest sizes, growth racing readers, and weakly consistent
 * iteration.
 *
 * <p>Several tests predict an id instead of receiving it, so that the reader gets it without any
 * synchronization with the writer and only the matrix's own release/acquire pairs can order them. The
 * prediction follows the id layout documented in {@code ConnMatrix} (see {@link Ids}); each test checks
 * that the writer got the predicted id, so a changed layout fails the test instead of silently testing
 * nothing.
 *
 * <p>Outcome ids are regular expressions matched against the whole outcome tuple: {@code [^,]*} stands
 * for any one field, a trailing {@code .*} for the rest of the tuple.
 *
 * <p>Every test has at most two actors, so that it runs on a two-core machine (jcstress skips a test with
 * more actors than CPUs); tests with more actors live in {@code dev.netkit.stressmany.connmatrix}. Outcomes
 * not listed as acceptable are forbidden, and each test names the forbidden ones explicitly.
 */
package dev.netkit.stress.connmatrix;
