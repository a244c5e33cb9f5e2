package io.videotranscoder.access;

/** The verdict on a presented key: the caller it stands for, or why it does not stand for one. */
public record KeyCheck(Caller caller, Denial denial) {

    public static KeyCheck valid(Caller caller) {
        return new KeyCheck(caller, null);
    }

    public static KeyCheck denied(Denial denial) {
        return new KeyCheck(null, denial);
    }

    public boolean passed() {
        return caller != null;
    }
}
