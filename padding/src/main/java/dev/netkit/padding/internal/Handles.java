package dev.netkit.padding.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * VarHandle lookup without the try/catch every field-handle declaration would otherwise repeat. For netkit's
 * own modules only (the package is exported to them alone); not a supported API.
 */
public final class Handles {
    private Handles() {
    }

    /**
     * The VarHandle of a field, looked up with the caller's own {@code lookup} (so private fields work).
     *
     * @param lookup the declaring class's {@code MethodHandles.lookup()}
     * @param holder the class that declares the field
     * @param name the field's name
     * @param type the field's type
     * @return the field's VarHandle
     * @throws ExceptionInInitializerError if the field does not exist or is not accessible: a build error,
     *         raised from the static initializer that calls this
     */
    public static VarHandle field(MethodHandles.Lookup lookup, Class<?> holder, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(holder, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
