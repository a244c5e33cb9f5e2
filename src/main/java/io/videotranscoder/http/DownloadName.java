package io.videotranscoder.http;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

import io.videotranscoder.job.Job;
import io.videotranscoder.preset.Preset;
import io.videotranscoder.storage.UniqueNames;

/**
 * The {@code Content-Disposition} of a job's output (RFC 6266): the name the client uploaded, then the preset, then
 * the output's extension, as the outbox names inbox results ({@code holiday.mov} becomes
 * {@code holiday-h264-720p.mp4}). The uploaded name is the client's and untrusted, so only its last path segment is
 * kept, without control, formatting (bidirectional overrides) or path characters; non-ASCII names travel in
 * {@code filename*} (RFC 8187), with an ASCII {@code filename} beside it for clients that know only that.
 */
final class DownloadName {

    /** Well under the 255 bytes file systems take, so that a browser's " (1)" still fits. */
    static final int MAX_NAME_BYTES = 200;
    private static final String FALLBACK_STEM = "video";
    /** Path separators and what Windows refuses in a file name. */
    private static final String RESERVED = "\"\\/:*?<>|";
    /** RFC 8187 attr-char besides letters and digits: what may stay unencoded in {@code filename*}. */
    private static final String ATTR_CHARS = "!#$&+-.^_`|~";

    private DownloadName() {
    }

    /**
     * A video or audio file is an {@code attachment}: a link saves it under its name (a player's {@code <video>} or
     * fetch ignores the header). Playlists, segments and posters stay {@code inline}, so that a browser opening a
     * playlist plays it and an image shows.
     */
    static String contentDisposition(Job job, String output) {
        Preset preset = job.preset();
        String type = preset.isLadder() || preset.isImage() ? "inline" : "attachment";
        String original = job.originalName() == null ? job.inputFile() : job.originalName();
        return header(type, fileName(original, preset.name(), output, output.equals(job.mainOutput())));
    }

    /** {@code <stem of the uploaded name>-<preset>[-<output's stem>].<output's extension>}, safe to save as. */
    static String fileName(String uploaded, String preset, String output, boolean main) {
        UniqueNames.Name produced = UniqueNames.Name.of(output);
        String kept = "-" + preset + (main ? "" : "-" + produced.stem());
        return new UniqueNames.Name(stem(uploaded), clean(kept), produced.ext()).candidate(0, MAX_NAME_BYTES);
    }

    static String header(String type, String name) {
        return type + "; filename=\"" + ascii(name) + "\"; filename*=UTF-8''" + percentEncoded(name);
    }

    /** The uploaded name's last path segment without its extension, cleaned; {@code video} when nothing is left. */
    static String stem(String uploaded) {
        String name = uploaded == null ? "" : uploaded;
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        String stem = clean(UniqueNames.Name.of(name).stem()).replaceAll("^[\\s.]+|[\\s.]+$", "");
        return stem.isEmpty() ? FALLBACK_STEM : stem;
    }

    /** Drops control and invisible formatting characters, replaces path and reserved ones, folds white space. */
    private static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.LINE_SEPARATOR,
                        Character.PARAGRAPH_SEPARATOR -> out.append(Character.isWhitespace(c) ? " " : "");
                default -> out.append(RESERVED.indexOf(c) >= 0 ? "_" : Character.isWhitespace(c) ? " "
                        : Character.toString(c));
            }
        });
        return out.toString().replaceAll(" {2,}", " ");
    }

    /** Letters lose their accents, any other non-ASCII character and {@code %} (which some clients decode) become _. */
    static String ascii(String name) {
        String plain = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return plain.replaceAll("[^\\x20-\\x7e]|%", "_").replaceAll("_{2,}", "_");
    }

    static String percentEncoded(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || ATTR_CHARS.indexOf(c) >= 0)) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
