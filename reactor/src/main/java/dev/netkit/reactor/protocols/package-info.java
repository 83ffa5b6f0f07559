/**
 * The built-in protocols of the netkit reactor, each a {@link dev.netkit.reactor.Handler} written on the
 * public API only: {@link dev.netkit.reactor.protocols.EchoHandler}, {@link dev.netkit.reactor.protocols.RelayHandler}
 * (frames addressed by connection id; {@link dev.netkit.reactor.protocols.RelayFrames}) and
 * {@link dev.netkit.reactor.protocols.PubSubHandler} (topics with fan-out;
 * {@link dev.netkit.reactor.protocols.PubSubFrames}). {@link dev.netkit.reactor.protocols.Protocol} names them.
 */
package dev.netkit.reactor.protocols;
