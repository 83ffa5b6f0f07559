/**
 * jcstress tests with more than two actors, one sub-package per module
 * ({@code dev.netkit.stressmany.MODULE}). jcstress skips a test with more actors than CPUs, so on the
 * two-core CI machine these would be skipped; {@code stress/run}'s default selector
 * ({@code ^dev\.netkit\.stress\.}) leaves them out. Run them on a machine with enough cores by naming them:
 * {@code stress/run quick 'dev.netkit.stressmany'}.
 */
package dev.netkit.stressmany;
