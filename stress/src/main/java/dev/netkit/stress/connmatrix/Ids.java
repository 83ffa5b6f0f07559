package dev.netkit.stress.connmatrix;

import dev.netkit.connmatrix.ConnMatrix;

/**
 * {@code ConnMatrix}'s id layout as its Javadoc documents it, {@code generation:32 | shard:8 | slot:24}
 * (high bits first), so that a test can predict an id instead of receiving it through a synchronizing
 * channel. In a fresh matrix a shard's first adds take slots 0, 1, 2, ... with generation 1; a slot's
 * generation is odd while live, a remove makes it even and the next add into it odd again (1, then 3).
 * Free slots are reused before fresh ones.
 */
final class Ids {
    private Ids() {
    }

    /** The id of {@code slot} in {@code shard} at {@code generation}. */
    static long id(int generation, int shard, int slot) {
        return ((long) generation << 32) | ((long) shard << 24) | slot;
    }

    /**
     * Fails the test (an error, never a silent pass) when an id returned in a state's set-up is not the
     * one the layout predicts.
     */
    static long expect(long actual, long expected) {
        if (actual != expected) {
            throw new IllegalStateException("ConnMatrix returned id 0x" + Long.toHexString(actual)
                    + ", the documented layout predicts 0x" + Long.toHexString(expected));
        }
        return actual;
    }

    /**
     * For a state's set-up: removes {@code id} with {@code remove} (the remote path, which marks the slot in
     * the freed bitmaps), failing the test if there was nothing to remove.
     *
     * @return true
     */
    static boolean removeOrFail(ConnMatrix<Object> matrix, long id) {
        if (!matrix.remove(id)) {
            throw new IllegalStateException("set-up: remove(0x" + Long.toHexString(id) + ") found nothing");
        }
        return true;
    }

    /**
     * For an arbiter: {@code add(0, conn)}'s id, or 0 (never an id) if the shard is full.
     */
    static long addOrZero(ConnMatrix<Object> matrix, Object conn) {
        try {
            return matrix.add(0, conn);
        } catch (IllegalStateException full) {
            return 0;
        }
    }

    /**
     * For an arbiter, after a race to remove the only entry of shard 0 (slot 0) of a matrix whose shard 0
     * has never used another slot: adds two connections and returns 1 if the first reused slot 0 (at
     * generation 3) and the second took the fresh slot 1, both are found and size() is 2; else 0. A slot
     * freed twice (on the owner's stack and in the freed bitmaps, or twice in one) would be handed out twice, so the second
     * add would not get slot 1.
     */
    static int slotFreedOnce(ConnMatrix<Object> matrix) {
        Object x = new Object();
        Object y = new Object();
        long idX = matrix.add(0, x);
        long idY = matrix.add(0, y);
        return idX == id(3, 0, 0) && idY == id(1, 0, 1) && matrix.get(idX) == x && matrix.get(idY) == y
                && matrix.size() == 2 ? 1 : 0;
    }
}
