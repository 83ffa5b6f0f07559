/**
 * Timers for event loops: {@link dev.netkit.timingwheel.TimingWheel}, a hierarchical timing wheel owned by
 * one thread (O(1) schedule, cancel and touch, generation-checked {@code long} handles, 16 bytes per
 * pending timer); {@link dev.netkit.timingwheel.WheelTimer}, a thread-safe timer service whose worker owns
 * a wheel; and {@link dev.netkit.timingwheel.IdleTimeouts}, the lazy re-arm pattern for idle connections.
 */
module dev.netkit.timingwheel {
    requires dev.netkit.padding;
    requires org.jctools.core;
    exports dev.netkit.timingwheel;
}
