package dev.netkit.stress.connmatrix;

/**
 * A connection with plain, non-final fields that its constructor sets: a reader that sees their default
 * values (0) saw the object before its construction was published.
 */
final class Conn {
    int a;
    long b;

    Conn() {
        a = 1;
        b = 2;
    }
}
