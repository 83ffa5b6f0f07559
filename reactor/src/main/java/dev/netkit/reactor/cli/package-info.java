/**
 * The {@code netkit-reactor} command line: {@link dev.netkit.reactor.cli.Main} with its commands
 * ({@code server}, {@code load}, {@code idle}, {@code fetch}, {@code demo}, {@code profile}).
 *
 * <p>Not a library API: the classes here are the jar's entry point and may change between versions. A bad
 * option value is reported as one line on standard error with exit status 2; an I/O failure as one line with
 * status 1. Each command runs on the thread that calls it; the servers it starts follow
 * {@link dev.netkit.reactor}'s threading rules.
 */
package dev.netkit.reactor.cli;
