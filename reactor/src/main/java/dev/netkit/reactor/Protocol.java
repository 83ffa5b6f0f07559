package dev.netkit.reactor;

/** What a {@link Server} speaks on every connection. */
public enum Protocol {
    /** Bytes come back exactly as they came, in order. */
    ECHO,
    /**
     * The IM workload: frames addressed to other connections; see {@link RelayFrames} for the wire
     * format.
     */
    RELAY
}
