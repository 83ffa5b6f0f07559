package dev.netkit.reactor;

/**
 * Stress-test access to a sub-reactor's {@link Mailbox} hand-off, exactly as the reactor runs it: the
 * acceptor hands off a registration while the loop dies (closes the mailbox, then drains it). Lives in the
 * stress module, in the reactor's package so that it can reach the package-private {@code Mailbox}; it is
 * not part of {@code netkit-reactor}.
 */
public final class MailboxHandOff {
    private final Mailbox mailbox = new Mailbox();
    private final Mailbox.OneShot registration = new Mailbox.OneShot() {
        @Override
        void runOnce() {
            ranByLoop++;
        }
    };
    private int ranByLoop;
    private int handedBack;

    /** The acceptor: hands the registration off; if it comes back, the acceptor handles it (closes it). */
    public void acceptor() {
        if (!mailbox.handOff(registration)) {
            handedBack++;
        }
    }

    /** The loop, dying: closes its mailbox, then drains it. */
    public void dyingLoop() {
        mailbox.close();
        mailbox.drain();
    }

    /** @return how often the loop ran the registration; read after both actors */
    public int ranByLoop() {
        return ranByLoop;
    }

    /** @return how often the acceptor got it back; read after both actors */
    public int handedBack() {
        return handedBack;
    }
}
