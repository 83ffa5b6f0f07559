package dev.netkit.padding;

import dev.netkit.padding.internal.Handles;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * The padded-long ladder shared by PaddedAtomicLong and PaddedSequence, kept in this one file (as JCTools keeps
 * a queue's ladder with the queue). The rule it follows is written once, in package-info.java:
 *
 *   header | PaddedLongLhsPad: 128 x byte | PaddedLongValue: long value | PaddedLongRhsPad: 128 x byte | PaddedLong
 *
 * Both pads are 128 bytes, not 136: the left pad is the first block of the object, so nothing can move in front
 * of it; the right pad is the last, since PaddedLong and its two final subclasses declare no instance field, so
 * the up to 7 right-pad bytes that HotSpot moves into the gap before `value` come back as the object's own
 * 8-byte end alignment. PaddingLayoutTest checks all of it with JOL, in both header modes.
 */

/** Left pad: 128 bytes between the object header (and whatever precedes the object) and the value. */
abstract class PaddedLongLhsPad extends Number {
    private static final long serialVersionUID = 1L;
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

/** The hot field, alone between two pads. Accessed only through {@link PaddedLong#VALUE}. */
abstract class PaddedLongValue extends PaddedLongLhsPad {
    private static final long serialVersionUID = 1L;

    /** Access modes are chosen per call site through {@link PaddedLong#VALUE}; the declaration is plain on purpose. */
    long value;
}

/** Right pad: 128 bytes between the value and whatever follows the object in the heap. */
abstract class PaddedLongRhsPad extends PaddedLongValue {
    private static final long serialVersionUID = 1L;
    byte p128, p129, p130, p131, p132, p133, p134, p135, p136, p137, p138, p139, p140, p141, p142, p143;
    byte p144, p145, p146, p147, p148, p149, p150, p151, p152, p153, p154, p155, p156, p157, p158, p159;
    byte p160, p161, p162, p163, p164, p165, p166, p167, p168, p169, p170, p171, p172, p173, p174, p175;
    byte p176, p177, p178, p179, p180, p181, p182, p183, p184, p185, p186, p187, p188, p189, p190, p191;
    byte p192, p193, p194, p195, p196, p197, p198, p199, p200, p201, p202, p203, p204, p205, p206, p207;
    byte p208, p209, p210, p211, p212, p213, p214, p215, p216, p217, p218, p219, p220, p221, p222, p223;
    byte p224, p225, p226, p227, p228, p229, p230, p231, p232, p233, p234, p235, p236, p237, p238, p239;
    byte p240, p241, p242, p243, p244, p245, p246, p247, p248, p249, p250, p251, p252, p253, p254, p255;
}

/**
 * The padded long's common part: the {@link #VALUE} handle, the constructors and the {@link Number} views,
 * each of which reads through the subclass's {@link #longValue()}. Declares no instance field, so the layout
 * above stays exactly as PaddingLayoutTest checks it.
 */
abstract class PaddedLong extends PaddedLongRhsPad {
    private static final long serialVersionUID = 1L;

    /** The handle of {@code value}; each call site picks its access mode. */
    static final VarHandle VALUE = Handles.field(MethodHandles.lookup(), PaddedLongValue.class, "value", long.class);

    /** A value of zero. */
    PaddedLong() {
    }

    /**
     * The given value, stored plainly: publishing the new object safely publishes it.
     *
     * @param initialValue the initial value
     */
    PaddedLong(long initialValue) {
        VALUE.set(this, initialValue);
    }

    /** {@return {@link #longValue()} narrowed to {@code int}} */
    @Override
    public int intValue() {
        return (int) longValue();
    }

    /** {@return {@link #longValue()} widened to {@code float}} */
    @Override
    public float floatValue() {
        return (float) longValue();
    }

    /** {@return {@link #longValue()} widened to {@code double}} */
    @Override
    public double doubleValue() {
        return (double) longValue();
    }

    /** {@return {@link #longValue()} in decimal} */
    @Override
    public String toString() {
        return Long.toString(longValue());
    }
}
