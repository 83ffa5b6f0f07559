package dev.netkit.reactor;

/**
 * A handler that passes every callback to another: tests extend it and override the callbacks they
 * intercept (a fault before {@code onData}, a view of the connection that drops sends).
 */
public class ForwardingHandler implements Handler {
    /** The handler every callback goes to. */
    protected final Handler inner;

    /**
     * Forwards to {@code inner}.
     *
     * @param inner the handler to forward to
     */
    public ForwardingHandler(Handler inner) {
        this.inner = inner;
    }

    @Override
    public void onOpen(Conn c) {
        inner.onOpen(c);
    }

    @Override
    public void onData(Conn c) {
        inner.onData(c);
    }

    @Override
    public void onWritable(Conn c) {
        inner.onWritable(c);
    }

    @Override
    public void onIdle(Conn c) {
        inner.onIdle(c);
    }

    @Override
    public void onInputClosed(Conn c) {
        inner.onInputClosed(c);
    }

    @Override
    public void onClose(Conn c, CloseReason reason, Throwable cause) {
        inner.onClose(c, reason, cause);
    }
}
